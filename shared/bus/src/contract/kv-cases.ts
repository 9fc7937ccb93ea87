import { expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidNameError, KvConflictError } from '../errors.js';
import type { KvChange } from '../types.js';
import type { ContractContext } from './contract-context.js';
import { uniqueId, within } from './contract-helpers.js';

const Counter = z.strictObject({ count: z.number().int() });
type Counter = z.infer<typeof Counter>;

/** Cases of KV buckets: revisions, create-only, compare-and-set, delete, keys, watch, names. */
export function kvCases(ctx: ContractContext): void {
  it('puts, gets, creates, updates on revision, deletes and lists keys', async () => {
    const bucket = `kv-${uniqueId()}`;
    const kv = await ctx.bus.kv(bucket, Counter);
    const elsewhere = await (await ctx.connect()).kv(bucket, Counter);

    const r1 = await kv.put('runs.a', { count: 1 });
    expect(await elsewhere.get('runs.a')).toEqual({ key: 'runs.a', value: { count: 1 }, revision: r1 });
    expect(await kv.get('runs.missing')).toBeNull();

    await expect(kv.create('runs.a', { count: 9 })).rejects.toBeInstanceOf(KvConflictError);
    const r2 = await elsewhere.create('runs.b', { count: 2 });
    expect(r2).toBeGreaterThan(r1);

    const r3 = await kv.update('runs.a', { count: 3 }, r1);
    expect(r3).toBeGreaterThan(r2);
    const stale: unknown = await elsewhere.update('runs.a', { count: 4 }, r1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KvConflictError);
    expect(stale).toMatchObject({ bucket, key: 'runs.a', expectedRevision: r1 });
    expect((await kv.get('runs.a'))?.value).toEqual({ count: 3 });

    await kv.put('other', { count: 0 });
    expect((await kv.keys()).sort()).toEqual(['other', 'runs.a', 'runs.b']);
    expect((await kv.keys('runs.*')).sort()).toEqual(['runs.a', 'runs.b']);

    await kv.delete('runs.b');
    expect(await kv.get('runs.b')).toBeNull();
    expect((await kv.keys()).sort()).toEqual(['other', 'runs.a']);
    expect(await kv.create('runs.b', { count: 5 })).toBeGreaterThan(r3);
  });

  it('watches: current values first, then live puts and deletes', async () => {
    const bucket = `kv-${uniqueId()}`;
    const kv = await ctx.bus.kv(bucket, Counter);
    const writer = await (await ctx.connect()).kv(bucket, Counter);
    const r1 = await kv.put('w.one', { count: 1 });
    await kv.put('skipped', { count: 0 });
    const stop = new AbortController();
    const changes = kv.watch({ key: 'w.*', signal: stop.signal })[Symbol.asyncIterator]();
    const nextChange = async (what: string): Promise<KvChange<Counter>> => {
      const result = await within(changes.next(), what);
      if (result.done === true) throw new Error(`the watch ended while waiting for ${what}`);
      return result.value;
    };

    expect(await nextChange('the current value')).toEqual({
      key: 'w.one',
      op: 'put',
      value: { count: 1 },
      revision: r1,
    });
    const r2 = await writer.put('w.two', { count: 2 });
    await writer.put('unwatched', { count: 0 });
    expect(await nextChange('a live put')).toEqual({ key: 'w.two', op: 'put', value: { count: 2 }, revision: r2 });
    await writer.delete('w.one');
    expect(await nextChange('a live delete')).toMatchObject({ key: 'w.one', op: 'delete' });
    stop.abort();
    expect((await within(changes.next(), 'the aborted watch to end')).done).toBe(true);
  });

  it('rejects invalid keys, buckets and queue names with InvalidNameError', async () => {
    const { bus } = ctx;
    const kv = await bus.kv(`kv-${uniqueId()}`, Counter);
    await expect(kv.put('has space', { count: 1 })).rejects.toBeInstanceOf(InvalidNameError);
    await expect(kv.get('star*')).rejects.toBeInstanceOf(InvalidNameError);
    await expect(kv.create('', { count: 1 })).rejects.toBeInstanceOf(InvalidNameError);
    await expect(bus.kv('has.dot', Counter)).rejects.toBeInstanceOf(InvalidNameError);
    await expect(bus.objectStore('has space')).rejects.toBeInstanceOf(InvalidNameError);
    await expect(
      bus.workQueue({ name: 'has.dot', subject: bus.subjects.custom('wq', uniqueId()), schema: Counter }),
    ).rejects.toBeInstanceOf(InvalidNameError);
  });
}
