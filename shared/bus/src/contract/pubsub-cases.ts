import { expect, it } from 'vitest';
import type { MessageContext, Subscription } from '../types.js';
import type { ContractContext } from './contract-context.js';
import { Anything, Collector, Item, uniqueId, uniqueSubject, underAll, watchDeadLetters } from './contract-helpers.js';

interface Received {
  n: number;
  subject: string;
}

const record = (into: Collector<Received>) => (item: Item, context: MessageContext) =>
  into.push({ n: item.n, subject: context.subject });

/** Cases of plain publish/subscribe: delivery, wildcards, queue groups, invalid messages, throwing handlers. */
export function pubsubCases(ctx: ContractContext): void {
  it('delivers to subscribers, with `*` and `>` wildcards', async () => {
    const { bus } = ctx;
    const publisher = await ctx.connect();
    const run = uniqueId();
    const other = uniqueId();
    const star = new Collector<Received>();
    bus.subscribe(bus.subjects.eventsOfRun(run), Item, record(star));
    const tree = uniqueId();
    const root = bus.subjects.custom('tree', tree);
    const rest = new Collector<Received>();
    bus.subscribe(underAll(root), Item, record(rest));
    await bus.flush();

    await publisher.publish(bus.subjects.events(run, 'a'), Item, { n: 1 });
    await publisher.publish(bus.subjects.events(other, 'a'), Item, { n: 2 });
    await publisher.publish(bus.subjects.events(run, 'b'), Item, { n: 3 });
    await publisher.publish(root, Item, { n: 10 });
    await publisher.publish(bus.subjects.custom('tree', tree, 'x'), Item, { n: 11 });
    await publisher.publish(bus.subjects.custom('tree', tree, 'x', 'y'), Item, { n: 12 });

    // One publisher's messages arrive in order, so the last one arriving means the skipped ones were not routed.
    expect(await star.atLeast(2, 'events of the run')).toEqual([
      { n: 1, subject: bus.subjects.events(run, 'a') },
      { n: 3, subject: bus.subjects.events(run, 'b') },
    ]);
    expect((await rest.atLeast(2, 'messages under the root')).map((r) => r.n)).toEqual([11, 12]);
  });

  it('gives each message to one member of a queue group, and to every plain subscriber', async () => {
    const { bus } = ctx;
    const [a, b] = [await ctx.connect(), await ctx.connect()];
    const subject = uniqueSubject(bus, 'group');
    const memberA = new Collector<Received>();
    const memberB = new Collector<Received>();
    const all = new Collector<Received>();
    const both = new Collector<Received>();
    a.subscribe(
      subject,
      Item,
      (m, c) => {
        memberA.push({ n: m.n, subject: c.subject });
        both.push({ n: m.n, subject: c.subject });
      },
      { queue: 'workers' },
    );
    b.subscribe(
      subject,
      Item,
      (m, c) => {
        memberB.push({ n: m.n, subject: c.subject });
        both.push({ n: m.n, subject: c.subject });
      },
      { queue: 'workers' },
    );
    bus.subscribe(subject, Item, record(all));
    await Promise.all([a.flush(), b.flush(), bus.flush()]);

    for (let n = 0; n < 20; n++) await bus.publish(subject, Item, { n });

    await all.atLeast(20, 'plain deliveries');
    const split = await both.atLeast(20, 'queue group deliveries');
    expect(split.map((r) => r.n).sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(memberA.items.length).toBeGreaterThan(0);
    expect(memberB.items.length).toBeGreaterThan(0);
  });

  it('dead-letters a malformed message (queue `pubsub`) and still delivers the valid ones around it', async () => {
    const { bus } = ctx;
    const publisher = await ctx.connect();
    const subject = uniqueSubject(bus, 'valid');
    const { letters } = await watchDeadLetters(bus, 'pubsub');
    const got = new Collector<Received>();
    bus.subscribe(subject, Item, record(got));
    await bus.flush();

    await publisher.publish(subject, Item, { n: 1 });
    await publisher.publish(subject, Anything, { n: 'not a number' });
    await publisher.publish(subject, Item, { n: 2 });

    expect((await got.atLeast(2, 'valid messages')).map((r) => r.n)).toEqual([1, 2]);
    const [letter] = (await letters.atLeast(1, 'dead letter')).filter((l) => l.subject === subject);
    expect(letter).toMatchObject({ queue: 'pubsub', subject, reason: 'invalid', encoding: 'utf8', deliveries: 1 });
    expect(JSON.parse(letter!.payload)).toEqual({ n: 'not a number' });
    expect(letter!.detail).toMatch(/n/);
  });

  it('logs a throwing handler and keeps the subscription', async () => {
    const { bus } = ctx;
    const subject = uniqueSubject(bus, 'throws');
    const got = new Collector<number>();
    bus.subscribe(subject, Item, (m) => {
      if (m.n === 1) throw new Error('boom');
      got.push(m.n);
    });
    await bus.flush();
    await bus.publish(subject, Item, { n: 1 });
    await bus.publish(subject, Item, { n: 2 });
    expect(await got.atLeast(1, 'message after the throw')).toEqual([2]);
  });

  // A transport whose unsubscribe waits for in-flight handlers must not wait for the caller's own run
  // (memory/pubsub.ts tells runs apart with AsyncLocalStorage), or this deadlocks.
  it('lets a handler unsubscribe its own subscription', async () => {
    const { bus } = ctx;
    const subject = uniqueSubject(bus, 'self');
    const done = new Collector<number>();
    const subscription: Subscription = bus.subscribe(subject, Item, async (m) => {
      await bus.flush(); // some work first: the handler is well under way when it unsubscribes
      await subscription.unsubscribe();
      done.push(m.n);
    });
    await bus.flush();
    await bus.publish(subject, Item, { n: 1 });
    expect(await done.atLeast(1, 'the handler to finish after unsubscribing')).toEqual([1]);
  });

  it('stops delivery on unsubscribe', async () => {
    const { bus } = ctx;
    const subject = uniqueSubject(bus, 'unsub');
    const first = new Collector<number>();
    const second = new Collector<number>();
    const subscription = bus.subscribe(subject, Item, (m) => first.push(m.n));
    bus.subscribe(subject, Item, (m) => second.push(m.n));
    await bus.flush();
    await bus.publish(subject, Item, { n: 1 });
    await first.atLeast(1, 'first message');
    await subscription.unsubscribe();
    await bus.flush();
    await bus.publish(subject, Item, { n: 2 });
    await second.atLeast(2, 'both messages on the other subscription');
    expect(first.items).toEqual([1]);
  });
}
