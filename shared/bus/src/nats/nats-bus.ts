import { AsyncLocalStorage } from 'node:async_hooks';
import { silentLogger, type Logger } from '@baton/log';
import {
  replyEnvelope,
  resourceNamesFor,
  subjectsFor,
  type ReplyEnvelope,
  type Subject,
  type Subjects,
} from '@baton/protocol';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { errors as natsErrors, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { BusClosedError, InvalidMessageError, NoRespondersError, RemoteError, RequestTimeoutError } from '../errors.js';
import {
  PUBSUB_QUEUE,
  assertBucketName,
  decodeMessage,
  encodeErrorReply,
  encodeMessage,
  encodeReply,
} from '../codec.js';
import {
  TransportKind,
  type Bus,
  type Kv,
  type KvOptions,
  type MessageHandler,
  type ObjectStore,
  type RequestHandler,
  type RequestOptions,
  type Schema,
  type SubscribeOptions,
  type Subscription,
  type WorkQueue,
  type WorkQueueDef,
} from '../types.js';
import { CoalescedFlush } from './coalesced-flush.js';
import { DeadLetters } from './dead-letters.js';
import { watchMaxDeliveries } from './max-deliveries-watcher.js';
import { queueNamesFor } from './nats-names.js';
import { NatsKv, ensureKvHistory } from './nats-kv.js';
import { NatsObjectStore } from './nats-object-store.js';
import { NatsWorkQueue, ensureWorkQueue, type WorkQueueContext } from './nats-work-queue.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** How long close waits for a drain before it closes the connection outright. */
const CLOSE_DRAIN_MS = 3_000;

// zod compiles a schema on first use: building the reply envelope per request would recompile it every time.
const envelopes = new WeakMap<Schema<unknown>, Schema<ReplyEnvelope<unknown>>>();

function envelopeOf<T>(replySchema: Schema<T>): Schema<ReplyEnvelope<T>> {
  let envelope = envelopes.get(replySchema);
  if (envelope === undefined) {
    envelope = replyEnvelope(replySchema);
    envelopes.set(replySchema, envelope);
  }
  return envelope as Schema<ReplyEnvelope<T>>;
}

/** The handler run the current code belongs to: a handler may unsubscribe its own subscription without waiting on itself. */
const currentRun = new AsyncLocalStorage<Promise<void>>();

/** How a listener runs its handler: one message at a time in arrival order (subscribe), or each at once (serve). */
type ListenerMode = 'serial' | 'concurrent';

/**
 * The Bus on NATS: core NATS for pub/sub, queue groups and request/reply; JetStream for work queues,
 * KV and the object store.
 *
 * Delivery guarantees, as the broker gives them: work queues are at-least-once. JetStream's ack state can
 * regress when the server is killed (work acked just before the crash comes back), and the server accepts
 * a late ack from a consumer whose ack wait has already expired and whose item went to someone else.
 * Exactly-once effects are built above the bus (attempt fencing, the merge ledger), never assumed from it.
 */
export class NatsBus implements Bus {
  readonly transport = TransportKind.nats;
  readonly subjects: Subjects;
  /** What the server announced (its max_payload); NATS's default until it has. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #deadLetters: DeadLetters;
  readonly #closing = new AbortController();
  readonly #advisories = new Map<string, { unsubscribe(): void }>();
  readonly #prefix: string;
  readonly #acks: CoalescedFlush;
  #closed: Promise<void> | undefined;
  readonly #reconnectListeners = new Set<() => void>();

  constructor(
    private readonly nc: NatsConnection,
    jsm: JetStreamManager,
    prefix: string,
    private readonly logger: Logger = silentLogger(),
  ) {
    this.#prefix = prefix;
    this.subjects = subjectsFor(prefix);
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#acks = new CoalescedFlush(() => nc.flush());
    void this.#watchReconnects();
    this.#deadLetters = new DeadLetters(jsm, this.#js, this.subjects, resourceNamesFor(prefix).deadStream, logger);
  }

  /** Builds a bus on an open connection (JetStream must be enabled on the server). */
  static async open(nc: NatsConnection, prefix: string, logger?: Logger): Promise<NatsBus> {
    return new NatsBus(nc, await jetstreamManager(nc), prefix, logger);
  }

  // One status watcher per connection (it ends when the connection closes), fanned out to the pull sessions.
  async #watchReconnects(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'reconnect') for (const listener of this.#reconnectListeners) listener();
    }
  }

  #onReconnect = (listener: () => void): (() => void) => {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  };

  #checkOpen(): void {
    if (this.#closing.signal.aborted || this.nc.isClosed()) throw new BusClosedError();
  }

  // Sending never validates (the types already constrain it); every receive does.
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a closed bus rejects rather than throws
  async publish<T>(subject: Subject, _schema: Schema<T>, message: T): Promise<void> {
    this.#checkOpen();
    this.nc.publish(subject, encodeMessage(message));
  }

  subscribe<T>(
    subject: Subject,
    schema: Schema<T>,
    handler: MessageHandler<T>,
    options: SubscribeOptions = {},
  ): Subscription {
    return this.#listen(subject, options, 'serial', async (msg) => {
      const decoded = decodeMessage(schema, msg.data);
      if (!decoded.ok) {
        await this.#rejectInvalid(msg, decoded.issues);
        return;
      }
      await handler(decoded.value, { subject: msg.subject });
    });
  }

  async #rejectInvalid(msg: Msg, issues: string): Promise<void> {
    this.logger.warn({ subject: msg.subject, issues }, 'invalid message dead-lettered');
    // An invalid message on a dead-letter subject is only logged: dead-lettering it again would loop.
    if (msg.subject.startsWith(`${this.#prefix}.dead.`)) return;
    await this.#deadLetters.write({
      queue: PUBSUB_QUEUE,
      subject: msg.subject,
      reason: 'invalid',
      detail: issues,
      deliveries: 1,
      payload: msg.data,
    });
  }

  async request<Req, Res>(
    subject: Subject,
    _requestSchema: Schema<Req>,
    replySchema: Schema<Res>,
    message: Req,
    options: RequestOptions = {},
  ): Promise<Res> {
    this.#checkOpen();
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let reply: Msg;
    try {
      reply = await this.nc.request(subject, encodeMessage(message), { timeout: timeoutMs });
    } catch (err) {
      throw this.#requestError(err, subject, timeoutMs);
    }
    const decoded = decodeMessage(envelopeOf(replySchema), reply.data);
    if (!decoded.ok) throw new InvalidMessageError(subject, decoded.issues);
    const envelope = decoded.value;
    if (envelope.ok) return envelope.data;
    throw new RemoteError(subject, envelope.error.name, envelope.error.message, envelope.error.data);
  }

  #requestError(err: unknown, subject: string, timeoutMs: number): unknown {
    const cause = err instanceof natsErrors.RequestError && err.cause !== undefined ? err.cause : err;
    if (
      cause instanceof natsErrors.NoRespondersError ||
      (err instanceof natsErrors.RequestError && err.isNoResponders())
    ) {
      return new NoRespondersError(subject, { cause: err });
    }
    if (cause instanceof natsErrors.TimeoutError) return new RequestTimeoutError(subject, timeoutMs, { cause: err });
    if (err instanceof natsErrors.ClosedConnectionError) return new BusClosedError();
    return err;
  }

  // The requester validates the reply against its schema; validating here too would parse every reply twice.
  serve<Req, Res>(
    subject: Subject,
    requestSchema: Schema<Req>,
    _replySchema: Schema<Res>,
    handler: RequestHandler<Req, Res>,
    options: SubscribeOptions = {},
  ): Subscription {
    return this.#listen(subject, options, 'concurrent', async (msg) => {
      if (msg.reply === undefined || msg.reply === '') {
        this.logger.warn({ subject: msg.subject }, 'message without a reply subject on a served subject ignored');
        return;
      }
      const decoded = decodeMessage(requestSchema, msg.data);
      if (!decoded.ok) {
        this.logger.warn({ subject: msg.subject, issues: decoded.issues }, 'invalid request answered with an error');
        msg.respond(encodeErrorReply(new InvalidMessageError(msg.subject, decoded.issues)));
        return;
      }
      let body: Uint8Array;
      try {
        body = encodeReply(await handler(decoded.value, { subject: msg.subject }));
      } catch (err) {
        this.logger.warn({ err, subject: msg.subject }, 'request handler threw; error reply sent');
        body = encodeErrorReply(err);
      }
      msg.respond(body);
    });
  }

  /**
   * Subscribes with a callback and runs `run` per message, serially (a promise chain in arrival order) or
   * concurrently. A failure is logged and never stops the subscription. Unsubscribe drops what has not
   * started and waits for what has.
   */
  #listen(
    subject: string,
    options: SubscribeOptions,
    mode: ListenerMode,
    run: (msg: Msg) => Promise<void>,
  ): Subscription {
    this.#checkOpen();
    let stopped = false;
    let tail: Promise<void> = Promise.resolve();
    const active = new Set<Promise<void>>();
    const handle = (msg: Msg): Promise<void> => {
      if (stopped) return Promise.resolve();
      let start = () => {};
      const running: Promise<void> = new Promise<void>((resolve) => (start = resolve))
        .then(() => currentRun.run(running, () => run(msg)))
        .catch((err: unknown) => this.logger.error({ err, subject: msg.subject }, 'message handler failed'))
        .finally(() => active.delete(running));
      active.add(running);
      start();
      return running;
    };
    const sub = this.nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (err, msg) => {
        if (err !== null) {
          this.logger.error({ err, subject }, 'subscription failed');
          return;
        }
        if (mode === 'concurrent') void handle(msg);
        else tail = tail.then(() => handle(msg));
      },
    });
    return {
      unsubscribe: async () => {
        stopped = true;
        sub.unsubscribe();
        const self = currentRun.getStore();
        await Promise.all([...active].filter((running) => running !== self));
      },
    };
  }

  async workQueue<T>(definition: WorkQueueDef<T>): Promise<WorkQueue<T>> {
    this.#checkOpen();
    const names = queueNamesFor(this.#prefix, definition.name);
    const context: WorkQueueContext = {
      nc: this.nc,
      jsm: this.#jsm,
      js: this.#js,
      names,
      deadLetters: this.#deadLetters,
      logger: this.logger,
      closed: this.#closing.signal,
      onReconnect: this.#onReconnect,
      flush: () => this.#acks.flush(),
    };
    await ensureWorkQueue(context, definition);
    if (!this.#advisories.has(names.stream)) {
      this.#advisories.set(
        names.stream,
        watchMaxDeliveries(this.nc, this.#jsm, definition.name, names, this.#deadLetters, this.logger),
      );
    }
    return new NatsWorkQueue(context, definition);
  }

  async kv<T>(bucket: string, schema: Schema<T>, options: KvOptions = {}): Promise<Kv<T>> {
    this.#checkOpen();
    assertBucketName(bucket);
    const history = options.history ?? 1;
    const kv = await new Kvm(this.#js).create(bucket, { history });
    await ensureKvHistory(this.#jsm, bucket, history);
    return new NatsKv(bucket, kv, schema, this.logger, () => this.maxPayload);
  }

  async objectStore(bucket: string): Promise<ObjectStore> {
    this.#checkOpen();
    assertBucketName(bucket);
    const os = await new Objm(this.#js).create(bucket);
    return new NatsObjectStore(bucket, os);
  }

  async flush(): Promise<void> {
    this.#checkOpen();
    await this.nc.flush();
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing.abort();
    for (const advisory of this.#advisories.values()) advisory.unsubscribe();
    if (this.nc.isClosed()) return;
    // Drain lets handlers in flight reply; a connection that cannot drain in time (server gone) is closed outright.
    let timer: NodeJS.Timeout | undefined;
    const drained = this.nc.drain().then(
      () => true,
      (err: unknown) => {
        this.logger.debug({ err }, 'drain failed; closing');
        return false;
      },
    );
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_DRAIN_MS)));
    const clean = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!clean && !this.nc.isClosed()) await this.nc.close();
  }
}
