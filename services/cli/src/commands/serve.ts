import { startCoordinator } from '@baton/coordinator';
import { createLogger } from '@baton/log';
import { startPlanner } from '@baton/planner';
import { AgentKindSchema } from '@baton/protocol';
import { startWorker } from '@baton/worker';
import { connectCluster } from '../connect.js';
import { modelFromEnv } from '../embedded.js';
import { UsageError } from '../errors.js';

/** Options of the long-running commands. */
export interface ServeOptions {
  nats: string;
  kinds?: string;
  slots?: number;
}

/**
 * Resolves on SIGTERM or SIGINT. The handlers stay installed (`on`, not `once`): execa's signal-exit
 * re-raises a signal when its own handler is the last one left, which would kill the process mid-drain.
 */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGTERM', () => resolve('SIGTERM'));
    process.on('SIGINT', () => resolve('SIGINT'));
  });
}

/**
 * `baton worker|coordinator|planner`: connects to the cluster and serves until SIGTERM/SIGINT, then
 * stops gracefully (a worker drains its items in hand) and exits 0.
 */
export async function serveCommand(name: 'worker' | 'coordinator' | 'planner', opts: ServeOptions): Promise<void> {
  const logger = createLogger({ name });
  const kinds = (opts.kinds ?? 'editor,tester,shell').split(',').map((k) => k.trim());
  const parsedKinds = kinds.map((k) => {
    const r = AgentKindSchema.safeParse(k);
    if (!r.success) throw new UsageError(`--kinds: unknown agent kind ${JSON.stringify(k)} (editor, tester, shell)`);
    return r.data;
  });
  const bus = await connectCluster(opts.nats, logger);
  const model = modelFromEnv(logger);
  const service: { stop(): Promise<void> } =
    name === 'worker'
      ? await startWorker({ bus, logger, kinds: parsedKinds, slots: opts.slots ?? 2, ...(model ? { model } : {}) })
      : name === 'coordinator'
        ? await startCoordinator({ bus, logger })
        : startPlanner({ bus, logger, ...(model ? { model } : {}) });
  logger.info({ nats: opts.nats }, `${name} running`);
  const signal = await untilSignal();
  logger.info({ signal }, `${name} stopping`);
  await service.stop();
  await bus.close();
  process.exitCode = 0;
}
