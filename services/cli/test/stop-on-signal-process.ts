/**
 * A process whose shutdown is stopOnSignal's, for stop-on-signal.test.ts. Its stop waits for SIGUSR2, so the test
 * can send a second signal while the first one's stop runs. Argument `fail`: the stop throws.
 * Prints `ready`, `stopping on <signal>`, `saw <signal>` for every SIGINT, then `stopped <signal> after <n> stop(s)`
 * (exit 0) or `failed: <message>` (exit 1).
 */
import { stopOnSignal } from '../src/stop-on-signal.js';

const fail = process.argv[2] === 'fail';
const write = (line: string) => process.stdout.write(`${line}\n`);
let stops = 0;
// Signal listeners do not keep a process alive.
const alive = setInterval(() => undefined, 60_000);
process.on('SIGINT', () => write('saw SIGINT'));
const stopped = stopOnSignal(async (signal) => {
  stops++;
  write(`stopping on ${signal}`);
  await new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));
  if (fail) throw new Error('stop failed on purpose');
});
write('ready');
await stopped.then(
  (signal) => write(`stopped ${signal} after ${stops} stop(s)`),
  (err: unknown) => {
    write(`failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
clearInterval(alive);
