import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { ObjectDigestError } from '../errors.js';
import type { ContractContext } from './contract-context.js';
import { uniqueId } from './contract-helpers.js';

/** The digest format of nats.js obj: `SHA-256=` and the padded base64url SHA-256. */
function digestOf(bytes: Uint8Array): string {
  return `SHA-256=${createHash('sha256').update(bytes).digest('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

/** A source that yields its pieces on separate macrotasks, like a file or socket would. */
async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    await new Promise((resolve) => setImmediate(resolve));
    yield bytes.subarray(at, at + size);
  }
}

async function drain(data: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of data) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Cases of object buckets: large round trips from every source shape, digests, corruption. */
export function objectStoreCases(ctx: ContractContext): void {
  it('round-trips 5 MiB with a matching SHA-256 digest, from bytes, an async iterable and a stream', async () => {
    const store = await ctx.bus.objectStore(`obj-${uniqueId()}`);
    const reader = await (await ctx.connect()).objectStore(store.bucket);
    const bytes = randomBytes(5 * 1024 * 1024);

    const info = await store.put('snapshot.tar', bytes);
    expect(info).toEqual({ name: 'snapshot.tar', size: bytes.length, digest: digestOf(bytes) });
    expect(await reader.info('snapshot.tar')).toEqual(info);
    expect(Buffer.from((await reader.getBytes('snapshot.tar'))!).equals(bytes)).toBe(true);

    const fromIterable = await store.put('iterable', pieces(bytes.subarray(0, 300_000), 70_000));
    expect(fromIterable.digest).toBe(digestOf(bytes.subarray(0, 300_000)));
    const stream = ReadableStream.from(pieces(bytes.subarray(0, 200_000), 64_000));
    const fromStream = await store.put('stream', stream);
    expect(fromStream).toMatchObject({ size: 200_000, digest: digestOf(bytes.subarray(0, 200_000)) });
    const streamed = await reader.get('stream');
    expect((await drain(streamed!.data)).equals(bytes.subarray(0, 200_000))).toBe(true);

    await store.delete('iterable');
    expect(await reader.get('iterable')).toBeNull();
    expect(await reader.info('missing')).toBeNull();
  });

  it('detects a corrupted object on read with ObjectDigestError', async () => {
    const store = await ctx.bus.objectStore(`obj-${uniqueId()}`);
    await store.put('snapshot', randomBytes(300 * 1024));
    await ctx.fixture.corruptObject(store.bucket, 'snapshot');
    await expect(store.getBytes('snapshot')).rejects.toBeInstanceOf(ObjectDigestError);
    const reader = await store.get('snapshot');
    await expect(drain(reader!.data)).rejects.toBeInstanceOf(ObjectDigestError);
  });
}
