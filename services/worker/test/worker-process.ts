/**
 * A worker as its own process, for tests that kill it for real (`kill -9`, SIGTERM).
 * Run: node --import tsx --conditions=@baton/source test/worker-process.ts
 * Env: NATS_URL, WORKER_ID, WORKER_KINDS (comma list), WORKER_SLOTS, ACK_WAIT_MS, GRACE_MS, BASE_DIR.
 * Prints `ready <workerId>` once it consumes; on SIGTERM drains (worker.stop) and exits 0.
 */
import { connectNats } from '@baton/bus';
import { AgentKindSchema } from '@baton/protocol';
import { startWorker } from '../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const bus = await connectNats({ servers: env('NATS_URL'), name: env('WORKER_ID') });
const worker = await startWorker({
  bus,
  workerId: env('WORKER_ID'),
  kinds: env('WORKER_KINDS')
    .split(',')
    .map((k) => AgentKindSchema.parse(k)),
  slots: Number(env('WORKER_SLOTS')),
  queues: { ackWaitMs: Number(env('ACK_WAIT_MS')) },
  graceMs: Number(env('GRACE_MS')),
  baseDir: env('BASE_DIR'),
  heartbeatMs: 1_000,
});
// `on`, not `once`: execa's signal-exit re-raises a signal when its own handler is the only one left.
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void worker
    .stop()
    .then(() => bus.close())
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      process.stderr.write(`stop failed: ${String(err)}\n`);
      process.exit(1);
    });
});
process.stdout.write(`ready ${worker.id}\n`);
