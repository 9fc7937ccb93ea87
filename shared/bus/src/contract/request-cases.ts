import { expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidMessageError, NoRespondersError, RemoteError, RequestTimeoutError } from '../errors.js';
import type { ContractContext } from './contract-context.js';
import { Anything, uniqueSubject } from './contract-helpers.js';

const Add = z.strictObject({ a: z.number(), b: z.number() });
const Sum = z.strictObject({ sum: z.number() });

class QuotaError extends Error {
  override name = 'QuotaError';
  constructor(readonly limit: number) {
    super(`over the quota of ${limit}`);
  }
}

/** Cases of request/reply: replies, no responders, timeouts, error replies, invalid requests and replies. */
export function requestCases(ctx: ContractContext): void {
  it('answers a request from another client', async () => {
    const { bus } = ctx;
    const server = await ctx.connect();
    const subject = uniqueSubject(bus, 'add');
    server.serve(subject, Add, Sum, ({ a, b }) => ({ sum: a + b }));
    await server.flush();
    expect(await bus.request(subject, Add, Sum, { a: 2, b: 3 })).toEqual({ sum: 5 });
  });

  it('fails with NoRespondersError when nobody serves the subject', async () => {
    const { bus } = ctx;
    const subject = uniqueSubject(bus, 'nobody');
    const err: unknown = await bus
      .request(subject, Add, Sum, { a: 1, b: 1 }, { timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoRespondersError);
    expect(err).toMatchObject({ subject });
  });

  it('fails with RequestTimeoutError when the responder does not answer in time', async () => {
    const { bus } = ctx;
    const subject = uniqueSubject(bus, 'slow');
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const subscription = bus.serve(subject, Add, Sum, async () => {
      await held;
      return { sum: 0 };
    });
    await bus.flush();
    const err: unknown = await bus
      .request(subject, Add, Sum, { a: 1, b: 1 }, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    release();
    await subscription.unsubscribe();
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ subject, timeoutMs: 300 });
  });

  it('turns a handler throw into RemoteError with the remote name and fields', async () => {
    const { bus } = ctx;
    const server = await ctx.connect();
    const subject = uniqueSubject(bus, 'quota');
    server.serve(subject, Add, Sum, () => {
      throw new QuotaError(7);
    });
    await server.flush();
    const err: unknown = await bus.request(subject, Add, Sum, { a: 1, b: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ subject, remoteName: 'QuotaError', data: { limit: 7 } });
    expect((err as Error).message).toContain('over the quota of 7');
  });

  it('answers an invalid request with an InvalidMessageError reply and keeps serving', async () => {
    const { bus } = ctx;
    const server = await ctx.connect();
    const subject = uniqueSubject(bus, 'strict');
    server.serve(subject, Add, Sum, ({ a, b }) => ({ sum: a + b }));
    await server.flush();
    const err: unknown = await bus.request(subject, Anything, Sum, { a: 'one', b: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ remoteName: 'InvalidMessageError' });
    expect(await bus.request(subject, Add, Sum, { a: 1, b: 1 })).toEqual({ sum: 2 });
  });

  it('rejects an invalid reply with InvalidMessageError at the caller', async () => {
    const { bus } = ctx;
    const server = await ctx.connect();
    const subject = uniqueSubject(bus, 'badreply');
    server.serve(subject, Add, Anything, () => ({ total: 'many' }));
    await server.flush();
    await expect(bus.request(subject, Add, Sum, { a: 1, b: 1 })).rejects.toBeInstanceOf(InvalidMessageError);
  });

  it('spreads requests over a queue group of responders', async () => {
    const { bus } = ctx;
    const [one, two] = [await ctx.connect(), await ctx.connect()];
    const subject = uniqueSubject(bus, 'who');
    const Who = z.strictObject({ who: z.string() });
    one.serve(subject, Anything, Who, () => ({ who: 'one' }), { queue: 'responders' });
    two.serve(subject, Anything, Who, () => ({ who: 'two' }), { queue: 'responders' });
    await Promise.all([one.flush(), two.flush()]);
    const answers = new Set<string>();
    for (let i = 0; i < 20; i++) answers.add((await bus.request(subject, Anything, Who, {})).who);
    expect([...answers].sort()).toEqual(['one', 'two']);
  });
}
