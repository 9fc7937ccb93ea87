import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectReader, ObjectSource, ObjectStore } from '../types.js';
import { BusError, InvalidNameError, ObjectDigestError } from '../errors.js';
import { formatDigest } from '../codec.js';
import { asPromise, type ClientContext } from './client.js';

/** Chunk size of stored objects, as nats.js obj uses by default. */
const CHUNK_BYTES = 128 * 1024;

interface StoredObject {
  info: ObjectInfo;
  chunks: Uint8Array[];
}

/** The broker side of one object bucket: objects as chunk lists with the digest recorded at put. */
export class ObjectBucketState {
  readonly objects = new Map<string, StoredObject>();

  constructor(readonly bucket: string) {}

  /** Test fault: flips one byte of the stored object so the next read fails its digest. */
  corrupt(name: string): void {
    const stored = this.objects.get(name);
    const index = stored === undefined ? -1 : Math.floor(stored.chunks.length / 2);
    const chunk = stored?.chunks[index];
    if (stored === undefined || chunk === undefined || chunk.length === 0)
      throw new BusError(`no bytes to corrupt in ${this.bucket}/${name}`);
    const bad = Uint8Array.from(chunk);
    bad[0] = (bad[0] ?? 0) ^ 0xff;
    stored.chunks[index] = bad;
  }
}

/** One client's handle on an object bucket. */
export class MemoryObjectStore implements ObjectStore {
  constructor(
    private readonly client: ClientContext,
    private readonly state: ObjectBucketState,
  ) {}

  get bucket(): string {
    return this.state.bucket;
  }

  async put(name: string, data: ObjectSource): Promise<ObjectInfo> {
    this.#check(name);
    const hash = createHash('sha256');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const piece of data instanceof Uint8Array ? [data] : data) {
      // Copied: the caller may reuse its buffers once put has read them.
      for (let at = 0; at < piece.length; at += CHUNK_BYTES) {
        const chunk = Uint8Array.from(piece.subarray(at, at + CHUNK_BYTES));
        hash.update(chunk);
        chunks.push(chunk);
        size += chunk.length;
      }
    }
    this.client.assertOpen();
    const info: ObjectInfo = { name, size, digest: formatDigest(hash.digest()) };
    this.state.objects.set(name, { info, chunks });
    return { ...info };
  }

  get(name: string): Promise<ObjectReader | null> {
    return asPromise(() => {
      this.#check(name);
      const stored = this.state.objects.get(name);
      if (stored === undefined) return null;
      return { info: { ...stored.info }, data: this.#verified(stored.info, [...stored.chunks]) };
    });
  }

  async getBytes(name: string): Promise<Uint8Array | null> {
    const reader = await this.get(name);
    if (reader === null) return null;
    const out = new Uint8Array(reader.info.size);
    let at = 0;
    for await (const chunk of reader.data) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  info(name: string): Promise<ObjectInfo | null> {
    return asPromise(() => {
      this.#check(name);
      const stored = this.state.objects.get(name);
      return stored === undefined ? null : { ...stored.info };
    });
  }

  delete(name: string): Promise<void> {
    return asPromise(() => {
      this.#check(name);
      this.state.objects.delete(name);
    });
  }

  async *#verified(info: ObjectInfo, chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
    const hash = createHash('sha256');
    for (const chunk of chunks) {
      // One chunk per macrotask, as chunks arriving from a server would: a big read never blocks the process.
      await new Promise((resolve) => setImmediate(resolve));
      hash.update(chunk);
      yield Uint8Array.from(chunk);
    }
    const actual = formatDigest(hash.digest());
    if (actual !== info.digest) throw new ObjectDigestError(this.bucket, info.name, info.digest, actual);
  }

  #check(name: string): void {
    this.client.assertOpen();
    if (name.length === 0) throw new InvalidNameError('object name', name);
  }
}
