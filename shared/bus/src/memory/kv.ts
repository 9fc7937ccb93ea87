import type { Kv, KvChange, KvEntry, KvWatchOptions, Schema } from '../types.js';
import { InvalidMessageError, KvConflictError } from '../errors.js';
import { assertKvFilter, assertKvKey, decodeMessage, encodeMessage } from '../codec.js';
import { AsyncQueue } from './async-queue.js';
import { asPromise, type ClientContext } from './client.js';
import { subjectMatches } from './subject-match.js';

/** A stored write: `payload` absent means the key was deleted at that revision. */
interface RawChange {
  key: string;
  payload: Uint8Array | undefined;
  revision: number;
}

/** What a write requires of the key's current state. */
type Expect = { kind: 'any' } | { kind: 'absent' } | { kind: 'revision'; revision: number };

/**
 * The broker side of one KV bucket: the latest write of each key, revisions counted per bucket
 * (like the sequence of the JetStream stream behind a NATS KV bucket), and live watchers.
 */
export class KvBucketState {
  #revision = 0;
  readonly #latest = new Map<string, RawChange>();
  readonly #watchers = new Set<(change: RawChange) => void>();

  constructor(readonly bucket: string) {}

  /** The key's latest write, deletes included. */
  latest(key: string): RawChange | undefined {
    return this.#latest.get(key);
  }

  /** Writes (or deletes, with no payload) if the expectation holds; else KvConflictError. */
  write(key: string, payload: Uint8Array | undefined, expect: Expect): number {
    const current = this.#latest.get(key);
    if (expect.kind === 'absent' && current?.payload !== undefined) throw new KvConflictError(this.bucket, key, null);
    if (expect.kind === 'revision' && current?.revision !== expect.revision)
      throw new KvConflictError(this.bucket, key, expect.revision);
    const change: RawChange = { key, payload, revision: ++this.#revision };
    this.#latest.set(key, change);
    for (const watcher of this.#watchers) watcher(change);
    return change.revision;
  }

  /** Live keys matching the filter, with their current values, oldest revision first. */
  current(filter: string): RawChange[] {
    return [...this.#latest.values()]
      .filter((c) => c.payload !== undefined && subjectMatches(filter, c.key))
      .sort((a, b) => a.revision - b.revision);
  }

  /** Calls `watcher` on every write; the returned function stops it. */
  watch(watcher: (change: RawChange) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }
}

/** One client's handle on a KV bucket: values validated against the schema on every read. */
export class MemoryKv<T> implements Kv<T> {
  constructor(
    private readonly client: ClientContext,
    private readonly state: KvBucketState,
    private readonly schema: Schema<T>,
  ) {}

  get bucket(): string {
    return this.state.bucket;
  }

  /** Throws InvalidMessageError when the stored value fails the schema. */
  get(key: string): Promise<KvEntry<T> | null> {
    return this.#op(key, () => {
      const latest = this.state.latest(key);
      if (latest?.payload === undefined) return null;
      const decoded = decodeMessage(this.schema, latest.payload);
      if (!decoded.ok) throw new InvalidMessageError(this.#subject(key), decoded.issues);
      return { key, value: decoded.value, revision: latest.revision };
    });
  }

  put(key: string, value: T): Promise<number> {
    return this.#op(key, () => this.state.write(key, encodeMessage(value), { kind: 'any' }));
  }

  create(key: string, value: T): Promise<number> {
    return this.#op(key, () => this.state.write(key, encodeMessage(value), { kind: 'absent' }));
  }

  update(key: string, value: T, revision: number): Promise<number> {
    return this.#op(key, () => this.state.write(key, encodeMessage(value), { kind: 'revision', revision }));
  }

  delete(key: string): Promise<void> {
    return this.#op(key, () => {
      this.state.write(key, undefined, { kind: 'any' });
    });
  }

  keys(filter = '>'): Promise<string[]> {
    return asPromise(() => {
      this.client.assertOpen();
      assertKvFilter(filter);
      return this.state.current(filter).map((c) => c.key);
    });
  }

  // Registers at once (not on the first `next`), so no write after this call is missed.
  watch(options: KvWatchOptions = {}): AsyncIterable<KvChange<T>> {
    this.client.assertOpen();
    const filter = options.key ?? '>';
    assertKvFilter(filter);
    const signals = options.signal === undefined ? [this.client.closed] : [options.signal, this.client.closed];
    const stop = AbortSignal.any(signals);
    const queue = new AsyncQueue<KvChange<T>>(() => {
      unwatch();
      stop.removeEventListener('abort', end);
    });
    const end = () => queue.end();
    const offer = (change: RawChange) => {
      if (!subjectMatches(filter, change.key)) return;
      const kvChange = this.#toChange(change);
      if (kvChange !== null) queue.push(kvChange);
    };
    if (options.initial ?? true) for (const change of this.state.current(filter)) offer(change);
    const unwatch = this.state.watch(offer);
    stop.addEventListener('abort', end, { once: true });
    if (stop.aborted) queue.end();
    return queue;
  }

  #toChange(change: RawChange): KvChange<T> | null {
    const { key, payload, revision } = change;
    if (payload === undefined) return { key, op: 'delete', revision };
    const decoded = decodeMessage(this.schema, payload);
    if (decoded.ok) return { key, op: 'put', value: decoded.value, revision };
    this.client.log.warn(
      { bucket: this.bucket, key, revision, issues: decoded.issues },
      'invalid KV value skipped by watch',
    );
    return null;
  }

  #op<R>(key: string, fn: () => R): Promise<R> {
    return asPromise(() => {
      this.client.assertOpen();
      assertKvKey(key);
      return fn();
    });
  }

  #subject(key: string): string {
    return `$KV.${this.bucket}.${key}`;
  }
}
