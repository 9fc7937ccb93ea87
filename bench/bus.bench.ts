/**
 * Bus benchmark: request/reply latency and work-queue throughput for the in-memory transport, the
 * Baton NATS transport, and a raw nats.js client doing the same work on the same server in the same run.
 * See bench/README.md. Run: `npm run bench:bus`.
 */
import { performance } from 'node:perf_hooks';
import { connectNats, createMemoryBroker, type Bus } from '@baton/bus';
import { startNatsServer } from '@baton/nats-launcher';
import { subjectsFor, type Subject } from '@baton/protocol';
import {
  AckPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const WARMUP_REQUESTS = 200;
const PUBLISH_WINDOW = 256;
const MAX_IN_FLIGHT = 256;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A message of realistic shape and size (~300 bytes), strictly validated like every Baton message. */
const Job = z.strictObject({
  v: z.literal(1),
  runId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  subtaskId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  attempt: z.number().int().positive(),
  paths: z.array(z.string()).max(16),
  instructions: z.string().max(1_000),
});
type Job = z.infer<typeof Job>;

function job(n: number): Job {
  return {
    v: 1,
    runId: 'run-bench',
    subtaskId: `s-${n}`,
    attempt: 1,
    paths: ['packages/core/src/index.ts', 'packages/core/src/curry.ts'],
    instructions: 'Rename purry to curryDataFirst in every call site of the listed files and keep the tests green.',
  };
}

interface RequestResult {
  p50: number;
  p99: number;
}
interface QueueResult {
  itemsPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarise(samples: number[]): RequestResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Times request/reply round trips of several senders, interleaved request by request, so that load from
 * elsewhere on the machine falls on all of them alike.
 */
async function timeRequests(senders: ((n: number) => Promise<unknown>)[]): Promise<RequestResult[]> {
  for (let n = 0; n < WARMUP_REQUESTS; n++) for (const send of senders) await send(n);
  const samples = senders.map(() => [] as number[]);
  for (let n = 0; n < REQUESTS; n++) {
    // Rotate who goes first, so that no client always follows the same neighbour.
    for (let k = 0; k < senders.length; k++) {
      const i = (n + k) % senders.length;
      const start = performance.now();
      await senders[i]!(n);
      samples[i]!.push(performance.now() - start);
    }
  }
  return samples.map(summarise);
}

/** Publishes ITEMS with at most PUBLISH_WINDOW publishes outstanding. */
async function publishAll(publish: (n: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < ITEMS) await publish(next++);
  };
  await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane));
}

/** Times publish -> consume -> ack of ITEMS, the consumer running alongside the publisher. */
async function timeQueue(
  publish: (n: number) => Promise<unknown>,
  consumeAll: (count: number) => Promise<void>,
): Promise<QueueResult> {
  const start = performance.now();
  const consumed = consumeAll(ITEMS);
  await publishAll(publish);
  await consumed;
  return { itemsPerSecond: ITEMS / ((performance.now() - start) / 1000) };
}

/** A request/reply setup: `send` does one round trip; `close` tears it down. */
interface Requester {
  send(n: number): Promise<unknown>;
  close(): Promise<void>;
}

async function busRequester(server: Bus, client: Bus, subject: Subject): Promise<Requester> {
  const sub = server.serve(subject, Job, Job, (request) => request);
  await server.flush();
  return { send: (n) => client.request(subject, Job, Job, job(n)), close: () => sub.unsubscribe() };
}

async function rawRequester(url: string, subject: string): Promise<Requester> {
  const responder = await connect({ servers: url });
  const requester = await connect({ servers: url });
  responder.subscribe(subject, {
    callback: (_err, msg) => {
      const request = msg.json<Job>();
      msg.respond(JSON.stringify(request));
    },
  });
  await responder.flush();
  return {
    send: async (n) => (await requester.request(subject, JSON.stringify(job(n)))).json<Job>(),
    close: async () => {
      await Promise.all([responder.close(), requester.close()]);
    },
  };
}

async function benchBusQueue(producer: Bus, consumer: Bus, name: string, subject: Subject): Promise<QueueResult> {
  const def = { name, subject, schema: Job, ackWaitMs: 30_000, maxDeliver: 5 };
  const outbox = await producer.workQueue(def);
  const inbox = await consumer.workQueue(def);
  return timeQueue(
    (n) => outbox.publish(job(n), { msgId: `${name}-${n}` }),
    async (count) => {
      const stop = new AbortController();
      const acks: Promise<void>[] = [];
      for await (const delivery of inbox.consume({ maxInFlight: MAX_IN_FLIGHT, signal: stop.signal })) {
        acks.push(delivery.ack());
        if (acks.length === count) stop.abort();
      }
      await Promise.all(acks);
    },
  );
}

async function benchRawQueue(url: string, stream: string, subject: string): Promise<QueueResult> {
  const producer: NatsConnection = await connect({ servers: url });
  const consumerConnection: NatsConnection = await connect({ servers: url });
  const jsm = await jetstreamManager(producer);
  await jsm.streams.add({
    name: stream,
    subjects: [subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    duplicate_window: nanos(120_000),
  });
  await jsm.consumers.add(stream, {
    durable_name: 'workers',
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(30_000),
    max_deliver: 5,
    max_ack_pending: 10_000,
  });
  const js = jetstream(producer);
  const consumer = await jetstream(consumerConnection).consumers.get(stream, 'workers');
  const result = await timeQueue(
    (n) => js.publish(subject, JSON.stringify(job(n)), { msgID: `${stream}-${n}` }),
    async (count) => {
      const messages = await consumer.consume({ max_messages: MAX_IN_FLIGHT });
      let seen = 0;
      for await (const msg of messages) {
        msg.json<Job>();
        msg.ack();
        if (++seen === count) break;
      }
      await consumerConnection.flush();
    },
  );
  await Promise.all([producer.close(), consumerConnection.close()]);
  return result;
}

function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}

async function main(): Promise<void> {
  await using server = await startNatsServer();
  const subjects = subjectsFor('bench');
  console.log(
    `nats-server ${server.url}: ${REQUESTS} requests (interleaved), ${ITEMS} work items x ${ROUNDS} rounds (best kept), maxInFlight ${MAX_IN_FLIGHT}\n`,
  );

  const broker = createMemoryBroker({ prefix: 'bench' });
  const producer = await connectNats({ servers: server.url, prefix: 'bench' });
  const consumer = await connectNats({ servers: server.url, prefix: 'bench' });
  const requesters = [
    await busRequester(broker.connect(), broker.connect(), subjects.custom('rr', 'memory')),
    await rawRequester(server.url, 'raw.rr'),
    await busRequester(consumer, producer, subjects.custom('rr', 'nats')),
  ];
  const [memoryRr, rawRr, batonRr] = await timeRequests(requesters.map((r) => (n: number) => r.send(n)));
  await Promise.all(requesters.map((r) => r.close()));

  const best = { memory: 0, raw: 0, baton: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    best.memory = Math.max(
      best.memory,
      (
        await benchBusQueue(
          broker.connect(),
          broker.connect(),
          `memory${round}`,
          subjects.custom('wq', `memory${round}`),
        )
      ).itemsPerSecond,
    );
    best.raw = Math.max(
      best.raw,
      (await benchRawQueue(server.url, `RAW_WQ_${round}`, `raw.wq.${round}`)).itemsPerSecond,
    );
    best.baton = Math.max(
      best.baton,
      (await benchBusQueue(producer, consumer, `nats${round}`, subjects.custom('wq', `nats${round}`))).itemsPerSecond,
    );
  }
  await Promise.all([producer.close(), consumer.close(), broker.close()]);

  const rows = [
    ['memory (Baton)', memoryRr!, best.memory],
    ['NATS raw nats.js', rawRr!, best.raw],
    ['NATS (Baton)', batonRr!, best.baton],
  ] as const;
  console.log('transport            req/reply p50   req/reply p99   work queue items/s');
  for (const [label, rr, wq] of rows) {
    console.log(
      `${label.padEnd(20)} ${ms(rr.p50).padStart(13)}   ${ms(rr.p99).padStart(13)}   ${wq.toFixed(0).padStart(18)}`,
    );
  }
  const latencyRatio = batonRr!.p50 / rawRr!.p50;
  const throughputRatio = best.raw / best.baton;
  const verdict = (ratio: number) => (ratio <= 1.3 ? 'within 1.3x' : 'OVER 1.3x');
  console.log(
    `\nBaton-NATS / raw, request/reply p50: ${latencyRatio.toFixed(2)}x (${verdict(latencyRatio)}); p99: ${(batonRr!.p99 / rawRr!.p99).toFixed(2)}x`,
  );
  console.log(
    `Baton-NATS / raw, work queue time per item: ${throughputRatio.toFixed(2)}x (${verdict(throughputRatio)})`,
  );
}

await main();
