import type { Logger } from '@baton/log';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { KvWatchInclude, type KV, type KvEntry as NatsKvEntry } from '@nats-io/kv';
import { InvalidMessageError, KvConflictError, MessageTooLargeError } from '../errors.js';
import { assertKvFilter, assertKvKey, decodeMessage, encodeMessage } from '../codec.js';
import type { Kv, KvChange, KvEntry, KvWatchOptions, Schema } from '../types.js';
import { ensureStream } from './ensure-stream.js';

function checkKey(key: string, filter = false): string {
  if (filter) assertKvFilter(key);
  else assertKvKey(key);
  return key;
}

function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence ||
      err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** Makes the bucket's history match the request (nats.js reuses an existing bucket as it is). */
export async function ensureKvHistory(jsm: JetStreamManager, bucket: string, history: number): Promise<void> {
  await ensureStream(jsm, { name: `KV_${bucket}`, max_msgs_per_subject: history });
}

/** A JetStream KV bucket holding JSON values validated against a schema on every read. */
export class NatsKv<T> implements Kv<T> {
  constructor(
    readonly bucket: string,
    private readonly kv: KV,
    private readonly schema: Schema<T>,
    private readonly logger: Logger,
    private readonly maxPayload: () => number,
  ) {}

  /**
   * The value encoded, or MessageTooLargeError naming the key (nats.js would only say "max_payload size exceeded").
   * The limit counts the headers a KV write adds too (under 200 bytes): 1 KiB is kept for them.
   */
  #encode(key: string, value: T): Uint8Array {
    const bytes = encodeMessage(value);
    const limit = this.maxPayload() - 1024;
    if (bytes.length > limit) throw new MessageTooLargeError(this.#where(key), bytes.length, limit);
    return bytes;
  }

  #where(key: string): string {
    return `${this.bucket}/${key}`;
  }

  async get(key: string): Promise<KvEntry<T> | null> {
    const entry = await this.kv.get(checkKey(key));
    if (entry === null || entry.operation !== 'PUT') return null;
    const decoded = decodeMessage(this.schema, entry.value);
    if (!decoded.ok) throw new InvalidMessageError(this.#where(key), decoded.issues);
    return { key, value: decoded.value, revision: entry.revision };
  }

  async put(key: string, value: T): Promise<number> {
    return await this.kv.put(checkKey(key), this.#encode(key, value));
  }

  async create(key: string, value: T): Promise<number> {
    try {
      return await this.kv.create(checkKey(key), this.#encode(key, value));
    } catch (err) {
      if (isWrongLastSequence(err)) throw new KvConflictError(this.bucket, key, null, { cause: err });
      throw err;
    }
  }

  async update(key: string, value: T, revision: number): Promise<number> {
    try {
      return await this.kv.update(checkKey(key), this.#encode(key, value), revision);
    } catch (err) {
      if (isWrongLastSequence(err)) throw new KvConflictError(this.bucket, key, revision, { cause: err });
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(checkKey(key));
  }

  async keys(filter?: string): Promise<string[]> {
    const iter = await this.kv.keys(filter === undefined ? undefined : checkKey(filter, true));
    const keys: string[] = [];
    for await (const key of iter) keys.push(key);
    return keys;
  }

  watch(options: KvWatchOptions = {}): AsyncIterable<KvChange<T>> {
    return this.#changes(options);
  }

  async *#changes(options: KvWatchOptions): AsyncGenerator<KvChange<T>> {
    const { signal } = options;
    if (signal?.aborted === true) return;
    const iter = await this.kv.watch({
      ...(options.key === undefined ? {} : { key: checkKey(options.key, true) }),
      include: options.initial === false ? KvWatchInclude.UpdatesOnly : KvWatchInclude.LastValue,
    });
    const stop = () => iter.stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const entry of iter) {
        const change = this.#toChange(entry, entry.isUpdate);
        if (change !== null) yield change;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      iter.stop();
    }
  }

  #toChange(entry: NatsKvEntry, isUpdate: boolean): KvChange<T> | null {
    if (entry.operation !== 'PUT') {
      // The initial snapshot reports keys deleted long ago as delete markers; only live deletes are changes.
      return isUpdate ? { key: entry.key, op: 'delete', revision: entry.revision } : null;
    }
    const decoded = decodeMessage(this.schema, entry.value);
    if (!decoded.ok) {
      this.logger.warn(
        { bucket: this.bucket, key: entry.key, revision: entry.revision, issues: decoded.issues },
        'invalid KV value skipped',
      );
      return null;
    }
    return { key: entry.key, op: 'put', value: decoded.value, revision: entry.revision };
  }
}
