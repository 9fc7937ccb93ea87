import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Bus, type Subscription } from '@baton/bus';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { AgentEvent, queuesFor, type Result } from '@baton/protocol';
import { makeTempRepo, type TempRepo } from '../test/temp-repo.js';
import { workItem } from '../test/work-item.js';

const ACK_WAIT_MS = 2_000;
const queues = queuesFor('baton', { ackWaitMs: ACK_WAIT_MS });
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(packageDir, 'test', 'worker-process.ts');

let nats: NatsServer;
let bus: Bus;
let repo: TempRepo;
let scratch: string;
let events: Subscription;
const stopResults = new AbortController();
let resultLoop: Promise<void>;
const results = new Map<string, Result[]>(); // `${runId}/${subtaskId}` -> every Result seen
const started = new Map<string, Set<string>>(); // `${runId}/${subtaskId}` -> workers whose agent started it
const listeners = new Set<() => void>();
const children: ChildProcess[] = [];

const notify = () => listeners.forEach((l) => l());
/** Resolves once `condition` holds, re-checked on every result and agent event. */
const until = (condition: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const check = () => {
      if (!condition()) return;
      listeners.delete(check);
      resolve();
    };
    listeners.add(check);
    check();
  });

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connectNats({ servers: nats.url });
  repo = await makeTempRepo({ 'README.md': '# demo\n' });
  scratch = await mkdtemp(join(tmpdir(), 'baton-worker-nats-'));
  events = bus.subscribe(bus.subjects.eventsAll(), AgentEvent, (e) => {
    if (e.workerId === undefined || e.subtaskId === undefined) return;
    const key = `${e.runId}/${e.subtaskId}`;
    started.set(key, (started.get(key) ?? new Set()).add(e.workerId));
    notify();
  });
  const queue = await bus.workQueue(queues.results());
  resultLoop = (async () => {
    for await (const d of queue.consume({ maxInFlight: 32, signal: stopResults.signal })) {
      const key = `${d.data.runId}/${d.data.subtaskId}`;
      results.set(key, [...(results.get(key) ?? []), d.data]);
      await d.ack();
      notify();
    }
  })();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  stopResults.abort();
  await resultLoop;
  await events.unsubscribe();
  await bus.close();
  await nats.stop();
  await rm(scratch, { recursive: true, force: true });
  await repo.remove();
});

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Starts a worker in its own process (real kill -9 and SIGTERM) and waits for it to consume. */
async function spawnWorker(workerId: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@baton/source', fixture], {
    cwd: packageDir,
    env: {
      ...process.env,
      NATS_URL: nats.url,
      WORKER_ID: workerId,
      WORKER_KINDS: 'shell',
      WORKER_SLOTS: '2',
      ACK_WAIT_MS: String(ACK_WAIT_MS),
      GRACE_MS: '30000',
      BASE_DIR: scratch,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(`ready ${workerId}`)) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`worker ${workerId} exited (${code ?? signal}) before it was ready:\n${stderr}`)),
    );
  });
  return { child, exited, stderr: () => stderr };
}

const workersOf = (runId: string) =>
  new Set(
    [...results.entries()].filter(([k]) => k.startsWith(`${runId}/`)).flatMap(([, rs]) => rs.map((r) => r.workerId)),
  );
const allDone = (runId: string, ids: readonly string[]) => ids.every((id) => results.has(`${runId}/${id}`));

describe('worker processes on a real NATS server', () => {
  it('two workers share a queue; items of a worker killed with -9 are redelivered and finished by the other', async () => {
    const [a, b] = await Promise.all([spawnWorker('nats-a'), spawnWorker('nats-b')]);
    const work = await bus.workQueue(queues.work('shell'));
    const run = 'run-kill';
    const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
    await Promise.all(ids.map((id) => work.publish(workItem(repo, run, id, ['sleep 0.3']))));

    // Kill A once it has finished something and holds both its slots' items with no result seen
    // (two, so that it finishing them in the instant before the kill is not a worry).
    await until(
      () =>
        workersOf(run).has('nats-a') &&
        ids.filter((id) => started.get(`${run}/${id}`)?.has('nats-a') && !results.has(`${run}/${id}`)).length >= 2,
    );
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');

    await until(() => allDone(run, ids));
    const all = ids.flatMap((id) => results.get(`${run}/${id}`)!);
    expect(all.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    expect(workersOf(run)).toEqual(new Set(['nats-a', 'nats-b']));
    // What A held when it died came back after the ack wait and B finished it.
    expect(
      ids.some(
        (id) =>
          started.get(`${run}/${id}`)?.has('nats-a') &&
          results.get(`${run}/${id}`)!.some((r) => r.workerId === 'nats-b'),
      ),
    ).toBe(true);
    expect(b.child.exitCode).toBeNull();
  }, 90_000);

  it('a SIGTERMed worker finishes or returns its items and exits 0', async () => {
    const c = await spawnWorker('nats-c');
    const work = await bus.workQueue(queues.work('shell'));
    const run = 'run-term';
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    await Promise.all(ids.map((id) => work.publish(workItem(repo, run, id, ['sleep 0.3']))));
    await until(() => ids.some((id) => started.get(`${run}/${id}`)?.has('nats-c') && !results.has(`${run}/${id}`)));
    c.child.kill('SIGTERM');
    expect(await c.exited, c.stderr()).toEqual({ code: 0, signal: null });
    await until(() => allDone(run, ids));
    expect(ids.flatMap((id) => results.get(`${run}/${id}`)!).every((r) => r.ok)).toBe(true);
    // No queue-size check: an item of the first test whose result A published before dying (but never acked) may still be on its way to B.
  }, 60_000);
});
