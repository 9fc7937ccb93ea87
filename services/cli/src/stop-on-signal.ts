import type { Logger } from '@baton/log';

/** What stopOnSignal logs and listens to. */
export interface StopOnSignalOptions {
  /** Logs `<name> stopping` with the signal. */
  logger?: Logger;
  name?: string;
  signals?: readonly NodeJS.Signals[];
}

/**
 * The shutdown of a process entry point (coordinator, planner, worker): on the first SIGTERM or SIGINT runs `stop`
 * once and resolves with the signal (rejects with `stop`'s error). The handlers stay installed until `stop` has
 * finished (`on`, not `once`): execa's signal-exit re-raises a signal when its own handler is the last one left, which
 * would kill the process mid-drain; a second signal meanwhile is ignored.
 * @example await stopOnSignal(async () => { await worker.stop(); await bus.close(); }, { logger, name: 'worker' });
 */
export function stopOnSignal(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  options: StopOnSignalOptions = {},
): Promise<NodeJS.Signals> {
  const signals = options.signals ?? (['SIGTERM', 'SIGINT'] as const);
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      options.logger?.info({ signal }, `${options.name ?? 'process'} stopping`);
      stop(signal)
        .finally(() => {
          for (const s of signals) process.removeListener(s, onSignal);
        })
        .then(() => resolve(signal), reject);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
