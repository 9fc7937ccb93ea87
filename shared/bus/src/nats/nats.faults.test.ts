import { DeadLetter, subjectsFor, type Subject } from '@baton/protocol';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MessageTooLargeError, NoRespondersError, RequestTimeoutError } from '../errors.js';
import type { Bus, Delivery, WorkQueueDef } from '../types.js';
import { connectNats } from './connect-nats.js';

const Item = z.strictObject({ n: z.number().int() });
type Item = z.infer<typeof Item>;

let server: NatsServer;
const buses: Bus[] = [];

beforeAll(async () => {
  server = await startNatsServer();
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await server.stop();
});

async function open(prefix: string): Promise<Bus> {
  const bus = await connectNats({ servers: server.url, prefix, reconnectTimeWaitMs: 100 });
  buses.push(bus);
  return bus;
}

function queueDef(prefix: string, extra: Partial<WorkQueueDef<Item>> = {}): WorkQueueDef<Item> {
  return { name: 'jobs', subject: subjectsFor(prefix).custom('jobs'), schema: Item, ...extra };
}

/** Resolves with the first message on a subject. */
function nextMessage<T>(bus: Bus, subject: Subject, schema: z.ZodType<T>): Promise<T> {
  return new Promise((resolve) => {
    const sub = bus.subscribe(subject, schema, (message) => {
      void sub.unsubscribe();
      resolve(message);
    });
  });
}

/** Takes the first delivery of a consume and stops iterating (the delivery stays unsettled). */
async function firstDelivery<T>(iterable: AsyncIterable<Delivery<T>>): Promise<Delivery<T>> {
  for await (const delivery of iterable) return delivery;
  throw new Error('consume ended without a delivery');
}

describe('NATS transport faults', () => {
  it('redelivers work whose consumer died without acking, to another connection', async () => {
    const dying = await open('redeliver');
    const survivor = await open('redeliver');
    const def = queueDef('redeliver', { ackWaitMs: 1_000 });
    const queue = await dying.workQueue(def);
    await queue.publish({ n: 1 });
    const first = await firstDelivery(queue.consume({ maxInFlight: 1 }));
    expect(first.deliveryCount).toBe(1);
    await dying.close();

    const again = await firstDelivery((await survivor.workQueue(def)).consume({ maxInFlight: 1 }));
    expect(again.data).toEqual({ n: 1 });
    expect(again.seq).toBe(first.seq);
    expect(again.deliveryCount).toBe(2);
    await again.ack();
  });

  it('moves a message past max deliveries to the dead letter and out of the stream, though its last consumer died', async () => {
    const dying = await open('maxdel');
    const watcher = await open('maxdel');
    const def = queueDef('maxdel', { ackWaitMs: 1_000, maxDeliver: 2 });
    const queue = await dying.workQueue(def);
    const dead = nextMessage(watcher, watcher.subjects.deadLetter('jobs'), DeadLetter);
    await queue.publish({ n: 7 }, { msgId: 'job-7' });

    const first = await firstDelivery(queue.consume({ maxInFlight: 1 }));
    await first.nak();
    const last = await firstDelivery(queue.consume({ maxInFlight: 1 }));
    expect(last.deliveryCount).toBe(2);
    await dying.close();

    // The server reports max deliveries when it next tries to deliver, so someone must be pulling.
    const stop = new AbortController();
    const watcherQueue = await watcher.workQueue(def);
    const pulled: Delivery<Item>[] = [];
    const pulling = (async () => {
      for await (const delivery of watcherQueue.consume({ maxInFlight: 1, signal: stop.signal })) pulled.push(delivery);
    })();

    const letter = await dead;
    expect(letter).toMatchObject({
      queue: 'jobs',
      reason: 'max_deliveries',
      deliveries: 2,
      payload: '{"n":7}',
      encoding: 'utf8',
      msgId: 'job-7',
    });
    await expect.poll(() => watcherQueue.size(), { timeout: 10_000 }).toBe(0);
    stop.abort();
    await pulling;
    expect(pulled).toEqual([]);
  });

  it('loses no published item when the server is killed and restarted mid-stream', async () => {
    const bus = await open('crash');
    const queue = await bus.workQueue(queueDef('crash', { ackWaitMs: 2_000 }));
    const total = 40;
    for (let n = 0; n < total; n++) await queue.publish({ n }, { msgId: `item-${n}` });

    const seen = new Set<number>();
    const acked = new Set<number>();
    const ackFailures: unknown[] = [];
    let restarted = false;
    const stop = new AbortController();
    const consuming = (async () => {
      for await (const delivery of queue.consume({ maxInFlight: 4, signal: stop.signal })) {
        seen.add(delivery.data.n);
        // An ack lost in the crash only means the item comes back (at-least-once), so it counts once confirmed.
        await delivery.ack().then(
          () => acked.add(delivery.data.n),
          (err: unknown) => ackFailures.push(err),
        );
        if (!restarted && seen.size === 10) {
          restarted = true;
          await server.kill('SIGKILL');
          await server.restart();
        }
      }
    })();
    // Acks can regress in a crash, bringing finished items back: keep consuming until the queue is really empty.
    await expect.poll(async () => acked.size === total && (await queue.size()) === 0, { timeout: 20_000 }).toBe(true);
    stop.abort();
    await consuming;
    expect(restarted).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n));
  });

  it('shares a queue between two competing consumers, each item handed out once', async () => {
    const a = await open('compete');
    const b = await open('compete');
    const def = queueDef('compete');
    const total = 200;
    const queue = await a.workQueue(def);
    for (let n = 0; n < total; n++) await queue.publish({ n });
    const seen: number[] = [];
    const stop = new AbortController();
    const work = async (bus: Bus) => {
      for await (const delivery of (await bus.workQueue(def)).consume({ maxInFlight: 8, signal: stop.signal })) {
        seen.push(delivery.data.n);
        await delivery.ack();
        if (seen.length === total) stop.abort();
      }
    };
    await Promise.all([work(a), work(b)]);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // The server removes an acked item after it has read the ack: the size settles a moment later.
    await expect.poll(() => queue.size(), { timeout: 10_000 }).toBe(0);
  });

  it('strands no message on a consumer that stopped while its pull was still waiting on the server', async () => {
    const quitter = await open('stranded');
    const worker = await open('stranded');
    const def = queueDef('stranded', { ackWaitMs: 30_000 });
    const stopped = new AbortController();
    const consumed = (await quitter.workQueue(def)).consume({ maxInFlight: 8, signal: stopped.signal });
    const idle = consumed[Symbol.asyncIterator]();
    const ended = idle.next();
    await quitter.flush();
    stopped.abort();
    expect((await ended).done).toBe(true);

    const queue = await worker.workQueue(def);
    await queue.publish({ n: 1 });
    // Had the server handed it to the abandoned pull, it would only come back after the 30 s ack wait.
    const delivery = await firstDelivery(queue.consume({ maxInFlight: 1 }));
    expect(delivery).toMatchObject({ data: { n: 1 }, deliveryCount: 1 });
    await delivery.ack();
  });

  it('closes promptly while the server is down, and settling afterwards rejects instead of throwing', async () => {
    await using local = await startNatsServer();
    const bus = await connectNats({ servers: local.url, prefix: 'down', reconnectTimeWaitMs: 100 });
    const queue = await bus.workQueue(queueDef('down'));
    await queue.publish({ n: 1 });
    const delivery = await firstDelivery(queue.consume({ maxInFlight: 1 }));
    await local.kill('SIGKILL');
    await bus.close();
    await expect(delivery.ack()).rejects.toThrow();
  });

  it('creates streams, consumers and buckets idempotently, and updates a changed setting', async () => {
    const a = await open('idem');
    const b = await open('idem');
    await a.workQueue(queueDef('idem', { ackWaitMs: 5_000 }));
    await b.workQueue(queueDef('idem', { ackWaitMs: 5_000 }));
    await b.workQueue(queueDef('idem', { ackWaitMs: 7_000, maxDeliver: 3 }));
    await a.kv('idem-runs', Item, { history: 1 });
    const kv = await b.kv('idem-runs', Item, { history: 3 });
    await a.objectStore('idem-snapshots');
    await b.objectStore('idem-snapshots');

    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      const consumer = await jsm.consumers.info('IDEM_Q_jobs', 'workers');
      expect(consumer.config).toMatchObject({ ack_wait: 7_000_000_000, max_deliver: 3, ack_policy: 'explicit' });
      const stream = await jsm.streams.info('IDEM_Q_jobs');
      expect(stream.config).toMatchObject({
        retention: 'workqueue',
        storage: 'file',
        discard: 'new',
        subjects: ['idem.jobs'],
      });
      expect((await jsm.streams.info('KV_idem-runs')).config.max_msgs_per_subject).toBe(3);
    } finally {
      await nc.close();
    }
    await kv.put('k', { n: 1 });
    await kv.put('k', { n: 2 });
    expect(await kv.get('k')).toMatchObject({ value: { n: 2 } });
  });

  it('maps no responders and timeouts to the bus errors', async () => {
    const bus = await open('rr');
    const subject = bus.subjects.custom('nobody');
    await expect(bus.request(subject, Item, Item, { n: 1 })).rejects.toBeInstanceOf(NoRespondersError);

    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = bus.subjects.custom('slow');
    const sub = bus.serve(slow, Item, Item, async (request) => {
      await held;
      return request;
    });
    await bus.flush();
    await expect(bus.request(slow, Item, Item, { n: 2 }, { timeoutMs: 200 })).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
    release();
    await sub.unsubscribe();
  });

  it('refuses a KV value over the server max_payload with an error naming the key and the sizes', async () => {
    const bus = await open('big');
    expect(bus.maxPayload).toBe(1024 * 1024); // what nats-server announces by default
    const kv = await bus.kv('bigvalues', z.strictObject({ pad: z.string() }));
    const error: unknown = await kv.put('run-1', { pad: 'x'.repeat(bus.maxPayload) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect((error as Error).message).toMatch(
      /^bigvalues\/run-1: 1048586 bytes, over the 1047552 bytes one message may hold/,
    );
    // Nothing was written; a value that fits still is.
    expect(await kv.get('run-1')).toBeNull();
    await kv.put('run-1', { pad: 'small' });
    expect((await kv.get('run-1'))?.value).toEqual({ pad: 'small' });
  });
});
