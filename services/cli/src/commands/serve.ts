import { startCoordinator } from '@baton/coordinator';
import { createLogger } from '@baton/log';
import { checkRecipe, startPlanner } from '@baton/planner';
import type { AgentKind } from '@baton/protocol';
import { startWorker } from '@baton/worker';
import { connectCluster } from '../connect.js';
import { modelFromEnv } from '../embedded.js';
import { stopOnSignal } from '../stop-on-signal.js';

/** Options of the long-running commands. */
export interface ServeOptions {
  nats: string;
  kinds?: AgentKind[];
  slots?: number;
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
        ? await startCoordinator({ bus, logger, checkSpec: checkRecipe })
        : startPlanner({ bus, logger, ...(model ? { model } : {}) });
  logger.info({ nats: opts.nats }, `${name} running`);
  await stopOnSignal(
    async () => {
      await service.stop();
      await bus.close();
    },
    { logger, name },
  );
  process.exitCode = 0;
}
