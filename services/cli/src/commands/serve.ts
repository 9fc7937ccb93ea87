import { startCoordinator } from '@baton/coordinator';
import { createLogger } from '@baton/log';
import { startPlanner } from '@baton/planner';
import type { AgentKind } from '@baton/protocol';
import { startWorker } from '@baton/worker';
import { connectCluster } from '../connect.js';
import { modelFromEnv } from '../embedded.js';

/** Options of the long-running commands. */
export interface ServeOptions {
  nats: string;
  kinds?: AgentKind[];
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
 * stops gracefully (a worker drains its items in hand) and exits 0. Each service compiles its own options
 * (defaults, checks), so only what the flags set is passed on.
 */
export async function serveCommand(name: 'worker' | 'coordinator' | 'planner', opts: ServeOptions): Promise<void> {
  const logger = createLogger({ name });
  const bus = await connectCluster(opts.nats, logger);
  const model = modelFromEnv(logger);
  const service: { stop(): Promise<void> } =
    name === 'worker'
      ? await startWorker({
          bus,
          logger,
          ...(opts.kinds ? { kinds: opts.kinds } : {}),
          ...(opts.slots ? { slots: opts.slots } : {}),
          ...(model ? { model } : {}),
        })
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
