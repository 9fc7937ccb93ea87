import { expect, it } from 'vitest';
import type { Bus, Delivery, WorkQueue, WorkQueueDef } from '../types.js';
import type { ContractContext } from './contract-context.js';
import { Anything, Item, eventually, pause, uniqueId, watchDeadLetters, within } from './contract-helpers.js';

/** Ack wait of the cases that wait for a redelivery: short, but long enough for a NATS round trip. */
const SHORT_ACK_WAIT_MS = 600;

function definition(bus: Bus, overrides: Partial<WorkQueueDef<Item>> = {}): WorkQueueDef<Item> {
  const id = uniqueId();
  return {
    name: `q-${id}`,
    subject: bus.subjects.custom('wq', id),
    schema: Item,
    ackWaitMs: 30_000,
    maxDeliver: 5,
    ...overrides,
  };
}

function reader<T>(queue: WorkQueue<T>, maxInFlight: number, signal?: AbortSignal): AsyncIterator<Delivery<T>> {
  return queue.consume({ maxInFlight, ...(signal === undefined ? {} : { signal }) })[Symbol.asyncIterator]();
}

async function next<T>(iterator: AsyncIterator<Delivery<T>>, what = 'a delivery'): Promise<Delivery<T>> {
  const result = await within(iterator.next(), what);
  if (result.done === true) throw new Error(`the iteration ended while waiting for ${what}`);
  return result.value;
}

const emptied = (queue: WorkQueue<unknown>) =>
  eventually(async () => (await queue.size()) === 0, `queue ${queue.name} to be empty`);

/** Cases of durable work queues: ack, redelivery, nak, working, max deliveries, term, de-dup, in-flight limit, invalid items. */
export function workQueueCases(ctx: ContractContext): void {
  it('removes an acked item from the queue', async () => {
    const queue = await ctx.bus.workQueue(definition(ctx.bus));
    await queue.publish({ n: 1 });
    expect(await queue.size()).toBe(1);
    const stop = new AbortController();
    const delivery = await next(reader(queue, 1, stop.signal));
    expect(delivery).toMatchObject({
      data: { n: 1 },
      deliveryCount: 1,
      subject: expect.stringContaining('.wq.') as unknown,
    });
    await delivery.ack();
    await emptied(queue);
    stop.abort();
  });

  it('redelivers to another consumer after ack wait when the consuming client dies', async () => {
    const def = definition(ctx.bus, { ackWaitMs: SHORT_ACK_WAIT_MS });
    const queue = await ctx.bus.workQueue(def);
    const doomed = await ctx.connect();
    await queue.publish({ n: 7 });
    const first = await next(reader(await doomed.workQueue(def), 1), 'the first delivery');
    await doomed.close();
    const stop = new AbortController();
    const again = await next(reader(queue, 1, stop.signal), 'the redelivery');
    expect(again).toMatchObject({ data: { n: 7 }, deliveryCount: 2, seq: first.seq });
    await again.ack();
    await emptied(queue);
    stop.abort();
  });

  it('redelivers after ack wait when the consuming iteration is aborted', async () => {
    const def = definition(ctx.bus, { ackWaitMs: SHORT_ACK_WAIT_MS });
    const queue = await ctx.bus.workQueue(def);
    const other = await ctx.connect();
    await queue.publish({ n: 8 });
    const abandoned = new AbortController();
    const iterator = reader(await other.workQueue(def), 1, abandoned.signal);
    const first = await next(iterator, 'the first delivery');
    abandoned.abort();
    expect((await within(iterator.next(), 'the aborted iteration to end')).done).toBe(true);
    const stop = new AbortController();
    const again = await next(reader(queue, 1, stop.signal), 'the redelivery');
    expect(again).toMatchObject({ data: { n: 8 }, deliveryCount: 2, seq: first.seq });
    await again.ack();
    stop.abort();
  });

  it('redelivers a nak with delay after items that were not delayed', async () => {
    const queue = await ctx.bus.workQueue(definition(ctx.bus));
    await queue.publish({ n: 1 });
    await queue.publish({ n: 2 });
    const stop = new AbortController();
    const iterator = reader(queue, 2, stop.signal);
    const first = await next(iterator);
    expect(first.data).toEqual({ n: 1 });
    await first.nak(1000);
    const second = await next(iterator);
    expect(second).toMatchObject({ data: { n: 2 }, deliveryCount: 1 });
    await second.ack();
    const again = await next(iterator, 'the delayed redelivery');
    expect(again).toMatchObject({ data: { n: 1 }, deliveryCount: 2 });
    await again.ack();
    await emptied(queue);
    stop.abort();
  });

  it('keeps an item from redelivery past ack wait while working() is called', async () => {
    const def = definition(ctx.bus, { ackWaitMs: SHORT_ACK_WAIT_MS });
    const queue = await ctx.bus.workQueue(def);
    const rival = await ctx.connect();
    await queue.publish({ n: 3 });
    const stop = new AbortController();
    const delivery = await next(reader(queue, 1, stop.signal));
    const rivalStop = new AbortController();
    const stolen = reader(await rival.workQueue(def), 1, rivalStop.signal).next();
    const heartbeat = setInterval(() => void delivery.working(), SHORT_ACK_WAIT_MS / 4);
    // A negative check needs a window: three ack waits in which the rival must get nothing.
    await pause(SHORT_ACK_WAIT_MS * 3);
    clearInterval(heartbeat);
    await delivery.ack();
    rivalStop.abort();
    expect((await within(stolen, 'the rival iteration to end')).done).toBe(true);
    await emptied(queue);
    stop.abort();
  });

  it('dead-letters an item after maxDeliver deliveries (reason max_deliveries) and removes it', async () => {
    const def = definition(ctx.bus, { ackWaitMs: SHORT_ACK_WAIT_MS, maxDeliver: 2 });
    const queue = await ctx.bus.workQueue(def);
    const { letters } = await watchDeadLetters(ctx.bus, def.name);
    await queue.publish({ n: 4 }, { msgId: `m-${uniqueId()}` });
    const stop = new AbortController();
    const iterator = reader(queue, 5, stop.signal);
    const first = await next(iterator);
    const second = await next(iterator, 'the redelivery after ack wait');
    expect([first.deliveryCount, second.deliveryCount]).toEqual([1, 2]);
    const [letter] = await letters.atLeast(1, 'the dead letter');
    expect(letter).toMatchObject({
      queue: def.name,
      subject: def.subject,
      reason: 'max_deliveries',
      deliveries: 2,
      msgId: first.msgId,
    });
    expect(JSON.parse(letter!.payload)).toEqual({ n: 4 });
    await emptied(queue);
    stop.abort();
  });

  it('dead-letters a terminated item (reason terminated) and removes it', async () => {
    const def = definition(ctx.bus);
    const queue = await ctx.bus.workQueue(def);
    const { letters } = await watchDeadLetters(ctx.bus, def.name);
    await queue.publish({ n: 5 });
    const stop = new AbortController();
    const delivery = await next(reader(queue, 1, stop.signal));
    await delivery.term('cannot be done');
    const [letter] = await letters.atLeast(1, 'the dead letter');
    expect(letter).toMatchObject({ queue: def.name, reason: 'terminated', deliveries: 1 });
    expect(letter!.detail).toContain('cannot be done');
    await emptied(queue);
    stop.abort();
  });

  it('drops a second publish with the same msgId as a duplicate', async () => {
    const queue = await ctx.bus.workQueue(definition(ctx.bus));
    const first = await queue.publish({ n: 6 }, { msgId: 'same' });
    const second = await queue.publish({ n: 6 }, { msgId: 'same' });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ seq: first.seq, duplicate: true });
    expect(await queue.size()).toBe(1);
    const stop = new AbortController();
    const delivery = await next(reader(queue, 1, stop.signal));
    expect(delivery.msgId).toBe('same');
    await delivery.ack();
    await emptied(queue);
    stop.abort();
  });

  it('never holds more than maxInFlight unsettled deliveries', async () => {
    const def = definition(ctx.bus);
    const queue = await ctx.bus.workQueue(def);
    for (let n = 1; n <= 3; n++) await queue.publish({ n });
    const greedyStop = new AbortController();
    const greedy = reader(queue, 2, greedyStop.signal);
    const held = [await next(greedy), await next(greedy)];
    const blocked = greedy.next();
    // The third item must still be in the queue, not in the greedy consumer's hands.
    const other = await ctx.connect();
    const otherStop = new AbortController();
    const third = await next(
      reader(await other.workQueue(def), 1, otherStop.signal),
      'the item the full consumer left',
    );
    expect([...held, third].map((d) => d.data.n).sort()).toEqual([1, 2, 3]);
    await Promise.all([...held, third].map((d) => d.ack()));
    greedyStop.abort();
    otherStop.abort();
    expect((await within(blocked, 'the blocked iteration to end')).done).toBe(true);
    await emptied(queue);
  });

  it('keeps unsettled deliveries within maxInFlight while items are settled over time', async () => {
    const queue = await ctx.bus.workQueue(definition(ctx.bus));
    for (let n = 0; n < 6; n++) await queue.publish({ n });
    const stop = new AbortController();
    let unsettled = 0;
    let most = 0;
    const seen: number[] = [];
    const acks: Promise<void>[] = [];
    for await (const delivery of queue.consume({ maxInFlight: 2, signal: stop.signal })) {
      unsettled++;
      most = Math.max(most, unsettled);
      seen.push(delivery.data.n);
      acks.push(
        pause(20).then(async () => {
          unsettled--;
          await delivery.ack();
        }),
      );
      if (seen.length === 6) break;
    }
    await Promise.all(acks);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBeLessThanOrEqual(2);
    await emptied(queue);
  });

  it('dead-letters a malformed item (reason invalid) and still delivers the valid ones around it', async () => {
    const def = definition(ctx.bus);
    const queue = await ctx.bus.workQueue(def);
    const loose = await ctx.bus.workQueue<unknown>({ ...def, schema: Anything });
    const { letters } = await watchDeadLetters(ctx.bus, def.name);
    await queue.publish({ n: 1 });
    await loose.publish({ n: 'one and a half' });
    await queue.publish({ n: 2 });
    const stop = new AbortController();
    const iterator = reader(queue, 5, stop.signal);
    const valid = [await next(iterator), await next(iterator)];
    expect(valid.map((d) => d.data.n)).toEqual([1, 2]);
    const [letter] = await letters.atLeast(1, 'the dead letter');
    expect(letter).toMatchObject({ queue: def.name, subject: def.subject, reason: 'invalid', deliveries: 1 });
    expect(JSON.parse(letter!.payload)).toEqual({ n: 'one and a half' });
    await Promise.all(valid.map((d) => d.ack()));
    await emptied(queue);
    stop.abort();
  });
}
