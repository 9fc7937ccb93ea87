import type { z } from 'zod';
import type { Subject, Subjects } from '@baton/protocol';

/** A zod schema whose parsed output is T. Every receive validates against one. */
export type Schema<T> = z.ZodType<T>;

/** The transports. */
export const TransportKind = { nats: 'nats', memory: 'memory' } as const;
/** A transport kind. */
export type TransportKind = (typeof TransportKind)[keyof typeof TransportKind];

/** A live subscription; `unsubscribe` stops delivery (handlers in flight finish). */
export interface Subscription {
  unsubscribe(): Promise<void>;
}

/** What a handler learns about the message besides its body. */
export interface MessageContext {
  /** The concrete subject it arrived on (useful with wildcards). */
  subject: string;
}

/** Handles a validated message. A throw is logged; it never stops the subscription. */
export type MessageHandler<T> = (message: T, context: MessageContext) => void | Promise<void>;

/** Handles a validated request; its return value is the reply, its throw an error reply (`RemoteError` at the caller). */
export type RequestHandler<Req, Res> = (request: Req, context: MessageContext) => Res | Promise<Res>;

/** Options of subscribe and serve. */
export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
}

/** Options of request. */
export interface RequestOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
}

/** Definition of a durable work queue. Creating it is idempotent; the settings are explicit. */
export interface WorkQueueDef<T> {
  /** Queue name: a subject token (`work-editor`, `results`). Names the stream/consumer and the dead-letter subject. */
  name: string;
  /** The subject (or wildcard) the queue holds. */
  subject: Subject;
  schema: Schema<T>;
  /** How long a delivery may stay unacked before it is redelivered. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries before the message goes to the dead letter and leaves the queue. Default 5. */
  maxDeliver?: number;
  /** Window in which a repeated message id is dropped as a duplicate. Default 2 min. */
  duplicateWindowMs?: number;
}

/** Options of WorkQueue.publish. */
export interface WorkPublishOptions {
  /** De-duplication id: a second publish with the same id within the window is dropped. */
  msgId?: string;
  /** Concrete subject when the queue's subject is a wildcard (must match it). */
  subject?: Subject;
}

/** What a publish to a work queue did. */
export interface WorkPublishAck {
  seq: number;
  duplicate: boolean;
}

/** One delivery of a work item. Settle it exactly once with ack, nak or term. */
export interface Delivery<T> {
  readonly data: T;
  readonly subject: string;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly msgId: string | undefined;
  /** Position in the queue (stream sequence). */
  readonly seq: number;
  /** Done: the item leaves the queue. */
  ack(): Promise<void>;
  /** Not done: deliver it again after `delayMs` (default: at once). */
  nak(delayMs?: number): Promise<void>;
  /** Still working: push the ack deadline out by another ack wait. */
  working(): Promise<void>;
  /** Give up on it: it goes to the dead letter with this reason and leaves the queue. */
  term(reason: string): Promise<void>;
}

/** Options of WorkQueue.consume. */
export interface ConsumeOptions {
  /** At most this many unsettled deliveries at once (a worker's slots). */
  maxInFlight: number;
  /** Stops the iteration. */
  signal?: AbortSignal;
}

/**
 * A durable work queue: at-least-once, explicit ack, redelivery after the ack deadline,
 * max deliveries then dead letter, de-duplication by message id.
 *
 * Note: it is at-least-once, never exactly-once. JetStream may redeliver work whose ack it lost
 * in a server crash, and accepts a late ack from a consumer whose deadline passed. Exactly-once
 * effects are built above the bus (attempt fencing, the merge ledger).
 */
export interface WorkQueue<T> {
  readonly name: string;
  publish(message: T, options?: WorkPublishOptions): Promise<WorkPublishAck>;
  /** Yields deliveries, never more than `maxInFlight` unsettled at once. Invalid messages are dead-lettered, not yielded. */
  consume(options: ConsumeOptions): AsyncIterable<Delivery<T>>;
  /** Messages in the queue not yet acked (including those in flight). */
  size(): Promise<number>;
}

/** A KV entry. */
export interface KvEntry<T> {
  key: string;
  value: T;
  revision: number;
}

/** A change seen by a KV watch (`value` absent on delete). */
export interface KvChange<T> {
  key: string;
  op: 'put' | 'delete';
  value?: T;
  revision: number;
}

/** Options of Bus.kv. */
export interface KvOptions {
  /** Revisions kept per key. Default 1. */
  history?: number;
}

/** Options of Kv.watch. */
export interface KvWatchOptions {
  /** Key or wildcard (`runs.*`, `>`); default every key. */
  key?: string;
  /** Start with the current value of every matching key. Default true. */
  initial?: boolean;
  signal?: AbortSignal;
}

/** A key-value bucket with revisions and compare-and-set. Keys: `[-/_=.a-zA-Z0-9]+`. */
export interface Kv<T> {
  readonly bucket: string;
  get(key: string): Promise<KvEntry<T> | null>;
  /** Unconditional write; returns the new revision. */
  put(key: string, value: T): Promise<number>;
  /** Write only if the key does not exist; else KvConflictError. */
  create(key: string, value: T): Promise<number>;
  /** Write only if the key is still at `revision`; else KvConflictError. */
  update(key: string, value: T, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  keys(filter?: string): Promise<string[]>;
  /** Live changes; invalid values are logged and skipped. */
  watch(options?: KvWatchOptions): AsyncIterable<KvChange<T>>;
}

/** An object's metadata. `digest` is `SHA-256=<base64url>`. */
export interface ObjectInfo {
  name: string;
  size: number;
  digest: string;
}

/** Bytes of an object, in any of the usual shapes. */
export type ObjectSource = Uint8Array | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** A stored object being read. The iteration throws ObjectDigestError at the end when the bytes do not match. */
export interface ObjectReader {
  info: ObjectInfo;
  data: AsyncIterable<Uint8Array>;
}

/** A bucket of large blobs (repository snapshots), streamed in chunks, digest checked on read. */
export interface ObjectStore {
  readonly bucket: string;
  put(name: string, data: ObjectSource): Promise<ObjectInfo>;
  get(name: string): Promise<ObjectReader | null>;
  /** Reads the whole object (checks the digest). */
  getBytes(name: string): Promise<Uint8Array | null>;
  info(name: string): Promise<ObjectInfo | null>;
  delete(name: string): Promise<void>;
}

/**
 * The one interface both transports implement. Every receive validates against a schema:
 * an invalid message is logged and dead-lettered (or answered with an error), never thrown
 * into the process, and never blocks valid messages behind it.
 */
export interface Bus {
  readonly transport: TransportKind;
  readonly subjects: Subjects;
  /**
   * The largest message (and KV value) the bus carries, in bytes: the NATS server's max_payload (1 MiB by default);
   * unbounded in process.
   */
  readonly maxPayload: number;
  publish<T>(subject: Subject, schema: Schema<T>, message: T): Promise<void>;
  subscribe<T>(
    subject: Subject,
    schema: Schema<T>,
    handler: MessageHandler<T>,
    options?: SubscribeOptions,
  ): Subscription;
  /** Throws NoRespondersError, RequestTimeoutError, RemoteError or InvalidMessageError. */
  request<Req, Res>(
    subject: Subject,
    requestSchema: Schema<Req>,
    replySchema: Schema<Res>,
    message: Req,
    options?: RequestOptions,
  ): Promise<Res>;
  serve<Req, Res>(
    subject: Subject,
    requestSchema: Schema<Req>,
    replySchema: Schema<Res>,
    handler: RequestHandler<Req, Res>,
    options?: SubscribeOptions,
  ): Subscription;
  workQueue<T>(definition: WorkQueueDef<T>): Promise<WorkQueue<T>>;
  kv<T>(bucket: string, schema: Schema<T>, options?: KvOptions): Promise<Kv<T>>;
  objectStore(bucket: string): Promise<ObjectStore>;
  /** Resolves when everything published so far has reached the server. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
