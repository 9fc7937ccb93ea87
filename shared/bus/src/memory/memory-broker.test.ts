import { Writable } from 'node:stream';
import { createLogger } from '@baton/log';
import type { DeadLetter } from '@baton/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BusClosedError, BusError, InvalidNameError } from '../errors.js';
import { Anything, Collector, Item, uniqueId, watchDeadLetters, within } from '../contract/contract-helpers.js';
import type { Delivery } from '../types.js';
import { createMemoryBroker, type MemoryBroker } from './memory-broker.js';

let broker: MemoryBroker;
afterEach(() => broker.close());

async function take<T>(deliveries: AsyncIterator<Delivery<T>>): Promise<Delivery<T>> {
  const result = await within(deliveries.next(), 'a delivery');
  if (result.done === true) throw new Error('the iteration ended');
  return result.value;
}

function lines(): { logger: ReturnType<typeof createLogger>; seen: Collector<Record<string, unknown>> } {
  const seen = new Collector<Record<string, unknown>>();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      seen.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: 'test', level: 'warn', pretty: false, destination }), seen };
}

describe('memory broker', () => {
  it('logs a throwing handler with its error', async () => {
    const { logger, seen } = lines();
    broker = createMemoryBroker({ logger });
    const bus = broker.connect();
    const subject = bus.subjects.custom('t', uniqueId());
    bus.subscribe(subject, Item, () => {
      throw new Error('handler broke');
    });
    await bus.publish(subject, Item, { n: 1 });
    const [line] = await seen.atLeast(1, 'a log line');
    expect(line).toMatchObject({ msg: 'subscription handler threw', subject, err: { message: 'handler broke' } });
  });

  it('fails every operation of a closed client with BusClosedError and ends its iterations', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const subject = bus.subjects.custom('t', uniqueId());
    bus.serve(subject, Item, Item, () => new Promise<never>(() => undefined));
    const pending = bus.request(subject, Item, Item, { n: 1 });
    const queue = await bus.workQueue({
      name: `q-${uniqueId()}`,
      subject: bus.subjects.custom('wq', uniqueId()),
      schema: Item,
    });
    const consuming = queue.consume({ maxInFlight: 1 })[Symbol.asyncIterator]().next();
    const kv = await bus.kv(`kv-${uniqueId()}`, Item);
    const watching = kv.watch()[Symbol.asyncIterator]().next();

    await bus.close();

    await expect(pending).rejects.toBeInstanceOf(BusClosedError);
    expect((await within(consuming, 'the consume to end')).done).toBe(true);
    expect((await within(watching, 'the watch to end')).done).toBe(true);
    await expect(bus.publish(subject, Item, { n: 1 })).rejects.toBeInstanceOf(BusClosedError);
    await expect(queue.publish({ n: 1 })).rejects.toBeInstanceOf(BusClosedError);
    await expect(kv.get('k')).rejects.toBeInstanceOf(BusClosedError);
    expect(() => bus.subscribe(subject, Item, () => undefined)).toThrow(BusClosedError);
  });

  it('rejects settling a delivery from a closed client, and the item comes back to others', async () => {
    broker = createMemoryBroker();
    const [alive, dead] = [broker.connect(), broker.connect()];
    const def = {
      name: `q-${uniqueId()}`,
      subject: alive.subjects.custom('wq', uniqueId()),
      schema: Item,
      ackWaitMs: 100,
    };
    await (await alive.workQueue(def)).publish({ n: 1 });
    const first = await take((await dead.workQueue(def)).consume({ maxInFlight: 1 })[Symbol.asyncIterator]());
    await dead.close();
    await expect(first.ack()).rejects.toBeInstanceOf(BusClosedError);
    const again = await take((await alive.workQueue(def)).consume({ maxInFlight: 1 })[Symbol.asyncIterator]());
    expect(again.deliveryCount).toBe(2);
  });

  it('captures plain publishes in a work queue, and shows work publishes to plain subscribers', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const id = uniqueId();
    const queue = await bus.workQueue({ name: `q-${id}`, subject: bus.subjects.custom('wq', id), schema: Item });
    const seen = new Collector<number>();
    bus.subscribe(bus.subjects.custom('wq', id), Item, (m) => seen.push(m.n));
    await bus.publish(bus.subjects.custom('wq', id), Item, { n: 1 });
    await queue.publish({ n: 2 });
    expect(await queue.size()).toBe(2);
    expect(await seen.atLeast(2, 'plain deliveries')).toEqual([1, 2]);
  });

  it('needs a concrete subject matching a wildcard queue', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const run = uniqueId();
    const queue = await bus.workQueue({
      name: `q-${uniqueId()}`,
      subject: bus.subjects.eventsOfRun(run),
      schema: Item,
    });
    await expect(queue.publish({ n: 1 })).rejects.toBeInstanceOf(InvalidNameError);
    await expect(queue.publish({ n: 1 }, { subject: bus.subjects.events(uniqueId(), 'a') })).rejects.toBeInstanceOf(
      InvalidNameError,
    );
    const ack = await queue.publish({ n: 1 }, { subject: bus.subjects.events(run, 'a') });
    const delivery = await take(queue.consume({ maxInFlight: 1 })[Symbol.asyncIterator]());
    expect(delivery).toMatchObject({ seq: ack.seq, subject: bus.subjects.events(run, 'a') });
  });

  it('refuses to redefine a queue on another subject', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const name = `q-${uniqueId()}`;
    await bus.workQueue({ name, subject: bus.subjects.custom('a', uniqueId()), schema: Item });
    await expect(
      bus.workQueue({ name, subject: bus.subjects.custom('b', uniqueId()), schema: Item }),
    ).rejects.toBeInstanceOf(BusError);
  });

  it('dead-letters at once a nak on the last allowed delivery, and accepts a late ack', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const def = {
      name: `q-${uniqueId()}`,
      subject: bus.subjects.custom('wq', uniqueId()),
      schema: Item,
      maxDeliver: 1,
      ackWaitMs: 60_000,
    };
    const queue = await bus.workQueue(def);
    const { letters } = await watchDeadLetters(bus, def.name);
    await queue.publish({ n: 1 });
    await queue.publish({ n: 2 });
    const deliveries = queue.consume({ maxInFlight: 2 })[Symbol.asyncIterator]();
    const [one, two] = [await take(deliveries), await take(deliveries)];
    await one.nak();
    expect((await letters.atLeast(1, 'the dead letter'))[0]).toMatchObject({ reason: 'max_deliveries', deliveries: 1 });
    await two.ack();
    await two.ack();
    expect(await queue.size()).toBe(0);
  });

  it('never dead-letters an invalid message seen on a dead-letter subject (no loop)', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const subject = bus.subjects.custom('t', uniqueId());
    bus.subscribe(bus.subjects.deadLetter('pubsub'), Item, () => undefined);
    bus.subscribe(subject, Item, () => undefined);
    const { letters } = await watchDeadLetters(bus, 'pubsub');
    await bus.publish(subject, Anything, { n: 'bad' });
    await bus.publish(subject, Anything, { n: 'worse' });
    const got = await letters.atLeast(2, 'dead letters');
    await bus.publish(subject, Anything, { n: 'sentinel' });
    await letters.atLeast(3, 'the sentinel dead letter');
    expect(got.map((l: DeadLetter) => l.subject)).toEqual([subject, subject, subject]);
  });

  it('skips invalid KV values in a watch and reports them on get', async () => {
    broker = createMemoryBroker();
    const bus = broker.connect();
    const bucket = `kv-${uniqueId()}`;
    const [strict, loose] = [await bus.kv(bucket, Item), await bus.kv<unknown>(bucket, Anything)];
    const changes = strict.watch({ initial: false })[Symbol.asyncIterator]();
    await loose.put('k', { n: 'bad' });
    await strict.put('k', { n: 2 });
    expect((await within(changes.next(), 'a change')).value).toMatchObject({ key: 'k', value: { n: 2 } });
    await loose.put('k', 'bad');
    await expect(strict.get('k')).rejects.toMatchObject({ name: 'InvalidMessageError' });
  });
});
