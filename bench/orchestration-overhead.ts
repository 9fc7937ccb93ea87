/**
 * Part (b) of bench/run.bench.ts: wall time per subtask of a plan of N trivial shell subtasks (a `command` recipe
 * running `true` in N tiny packages) through the real planner + coordinator + worker, on the memory bus and on
 * NATS, next to the raw request/reply round trip on the same transport measured in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectNats, createMemoryBroker, type Bus } from '@baton/bus';
import { startNatsServer } from '@baton/nats-launcher';
import { RunSpec, type Result } from '@baton/protocol';
import { connect } from '@nats-io/transport-node';
import { z } from 'zod';
import { startOrchestrationStack, type StackBuses } from './orchestration-stack.js';
import { writeTinyPackagesRepo } from './tiny-packages-repo.js';

/** Settings of part (b). */
export interface OverheadOptions {
  subtasks: number;
  slots: readonly number[];
  requests: number;
  target: number;
}

const Echo = z.strictObject({ v: z.literal(1), n: z.number().int() });

interface Rtt {
  label: string;
  p50: number;
  mean: number;
}

interface Case {
  transport: string;
  slots: number;
  status: string;
  subtasks: number;
  wallMs: number;
  /** Submit until the first subtask started on the worker: run prepared, planned, first item dispatched. */
  setupMs: number;
  /** Sum over subtasks of the worker's startedAt..finishedAt. */
  workerMs: number;
  /**
   * At 1 slot: the mean time the slot sat idle between one subtask's end and the next one's start (finishedAt ->
   * next startedAt, in start order), i.e. what orchestration adds per subtask once the run is going; NaN otherwise.
   */
  gapMs: number;
  /** From the last subtask's end to the run's final status. */
  tailMs: number;
}

async function timeRoundTrips(label: string, send: (n: number) => Promise<unknown>, count: number): Promise<Rtt> {
  for (let n = 0; n < Math.min(200, count); n++) await send(n);
  const samples: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await send(n);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: samples[Math.floor(samples.length / 2)]!, mean: samples.reduce((s, x) => s + x, 0) / samples.length };
}

/** A trivial request/reply between two of the stack's connections (the coordinator's serves, the worker's asks). */
async function busRoundTrip(label: string, buses: StackBuses, count: number): Promise<Rtt> {
  const subject = buses.coordinator.subjects.custom('bench', 'echo');
  const sub = buses.coordinator.serve(subject, Echo, Echo, (request) => request);
  await buses.coordinator.flush();
  try {
    return await timeRoundTrips(label, (n) => buses.worker.request(subject, Echo, Echo, { v: 1, n }), count);
  } finally {
    await sub.unsubscribe();
  }
}

async function rawNatsRoundTrip(url: string, count: number): Promise<Rtt> {
  const responder = await connect({ servers: url });
  const requester = await connect({ servers: url });
  try {
    responder.subscribe('raw.echo', {
      callback: (_err, msg) => {
        msg.respond(JSON.stringify(msg.json<unknown>()));
      },
    });
    await responder.flush();
    return await timeRoundTrips('raw nats.js', async (n) => (await requester.request('raw.echo', JSON.stringify({ v: 1, n }))).json<unknown>(), count);
  } finally {
    await Promise.all([responder.close(), requester.close()]);
  }
}

async function runCase(transport: string, buses: StackBuses, slots: number, repo: string, packages: string, scratch: string): Promise<Case> {
  const stack = await startOrchestrationStack(buses, slots, scratch);
  try {
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command: 'true', packages },
      // One repository-level tester with nothing to run: the testers are off, as far as a plan allows.
      testCommands: [],
      limits: { maxSubtasks: 100_000, maxConcurrency: 10_000 },
    });
    const submittedAt = Date.now();
    const started = performance.now();
    const { runId } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);
    const wallMs = performance.now() - started;
    const results: Result[] = stack.results.filter((r) => r.runId === runId).sort((a, b) => a.startedAt - b.startedAt);
    const gaps = results.slice(1).map((r, i) => r.startedAt - results[i]!.finishedAt);
    return {
      transport,
      slots,
      status: run.status === 'succeeded' ? 'succeeded' : `${run.status}: ${run.detail ?? ''}`.slice(0, 200),
      subtasks: results.length,
      wallMs,
      setupMs: Math.min(...results.map((r) => r.startedAt)) - submittedAt,
      workerMs: results.reduce((s, r) => s + (r.finishedAt - r.startedAt), 0),
      gapMs: slots === 1 && gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : Number.NaN,
      tailMs: submittedAt + wallMs - Math.max(...results.map((r) => r.finishedAt)),
    };
  } finally {
    await stack.stop();
  }
}

function memoryBuses(prefix: string): { buses: StackBuses; close(): Promise<void> } {
  const broker = createMemoryBroker({ prefix });
  const buses = { planner: broker.connect(), coordinator: broker.connect(), worker: broker.connect() };
  return { buses, close: () => broker.close() };
}

async function natsBuses(url: string, prefix: string): Promise<{ buses: StackBuses; close(): Promise<void> }> {
  const [planner, coordinator, worker] = await Promise.all([0, 1, 2].map(() => connectNats({ servers: url, prefix }))) as [Bus, Bus, Bus];
  return { buses: { planner, coordinator, worker }, close: async () => void (await Promise.all([planner, coordinator, worker].map((b) => b.close()))) };
}

const f = (ms: number, digits = 1) => ms.toFixed(digits);

/** Runs part (b) and prints its tables. */
export async function runOverheadPart(options: OverheadOptions): Promise<void> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), 'baton-run-bench-b-'));
  try {
    const repo = path.join(work, 'repo');
    const packages = await writeTinyPackagesRepo(repo, options.subtasks);
    await using server = await startNatsServer();
    console.log(`\n## (b) orchestration overhead per subtask: ${options.subtasks} shell subtasks (\`true\` in ${options.subtasks} tiny packages) + 1 empty tester`);
    console.log(`nats-server ${server.url}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    const rtts = new Map<string, Rtt[]>();
    const cases: Case[] = [];
    for (const transport of ['memory', 'nats'] as const) {
      for (const slots of options.slots) {
        const prefix = `bench${transport}${slots}`;
        const { buses, close } = transport === 'memory' ? memoryBuses(prefix) : await natsBuses(server.url, prefix);
        try {
          if (!rtts.has(transport)) {
            rtts.set(transport, [await busRoundTrip(`Baton bus.request (${transport})`, buses, options.requests), ...(transport === 'nats' ? [await rawNatsRoundTrip(server.url, options.requests)] : [])]);
          }
          const c = await runCase(transport, buses, slots, repo, packages, path.join(work, `scratch-${prefix}`));
          cases.push(c);
          console.log(`${transport} @ ${slots} slot(s): ${c.status}, ${c.subtasks} subtasks in ${f(c.wallMs / 1000, 2)} s`);
        } finally {
          await close();
        }
      }
    }

    console.log('\n| round trip (same run) | p50 ms | mean ms |');
    console.log('| --- | ---: | ---: |');
    for (const r of [...rtts.values()].flat()) console.log(`| ${r.label} | ${f(r.p50, 3)} | ${f(r.mean, 3)} |`);

    console.log('\n| transport | slots | status | subtasks | wall s | setup ms (submit→first start) | tail ms (last end→final status) | wall / subtask ms | worker time / subtask ms | non-worker time / subtask ms | non-worker ÷ RTT p50 | gap between subtasks ms (1 slot) | gap ÷ RTT p50 |');
    console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of cases) {
      const rtt = rtts.get(c.transport)![0]!;
      const perSubtask = c.wallMs / c.subtasks;
      const workerPer = c.workerMs / c.subtasks;
      // What the wall time holds beyond the worker's own time, spread over the slots.
      const nonWorker = (c.wallMs - c.workerMs / c.slots) / c.subtasks;
      const gap = Number.isNaN(c.gapMs) ? '—' : f(c.gapMs, 2);
      const gapRatio = Number.isNaN(c.gapMs) ? '—' : `${f(c.gapMs / rtt.p50, 1)}x ${c.gapMs / rtt.p50 <= options.target ? 'ok' : 'OVER'}`;
      console.log(
        `| ${c.transport} | ${c.slots} | ${c.status} | ${c.subtasks} | ${f(c.wallMs / 1000, 2)} | ${f(c.setupMs, 0)} | ${f(c.tailMs, 0)} | ${f(perSubtask)} | ${f(workerPer)} | ${f(nonWorker, 2)} | ${f(nonWorker / rtt.p50, 1)}x | ${gap} | ${gapRatio} |`,
      );
    }
    console.log(`\nTarget: orchestration overhead per subtask ≤ ${options.target}x the round trip of the same transport (Baton's bus.request, measured`);
    console.log('above in the same run). Two measures of that overhead, both printed:');
    console.log('- "gap between subtasks" (the one held to the target): at 1 slot, how long the slot sits idle from one subtask\'s');
    console.log('  end to the next one\'s start, once the run is going: Result out, queue hand-over, next item started. It is the');
    console.log('  cost Baton adds for each further subtask.');
    console.log('- "non-worker time / subtask": everything in the wall time that is not the worker\'s own time, spread over the');
    console.log('  subtasks and slots, (wall − Σ worker time / slots) / subtasks: the gaps, plus the run\'s one-time costs (pin the');
    console.log('  base, plan, record the plan: "setup"; final status: "tail"), plus at 4 slots any slot idling.');
    console.log('"worker time" is the worker\'s own startedAt..finishedAt: a scratch git checkout, the shell process, the diff. It is');
    console.log('the subtask\'s work, not orchestration; removing the checkout happens after the Result is out and off the slot.');
    console.log('Everything runs in one process here (memory or NATS connections), so the coordinator\'s handling of each Result');
    console.log('shares the event loop with the worker: the gap includes it.');
  } finally {
    await rm(work, { recursive: true, force: true });
    console.log(`(part b took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
