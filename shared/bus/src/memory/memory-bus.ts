import type { Logger } from '@baton/log';
import type { Subject, Subjects } from '@baton/protocol';
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
import { BusClosedError } from '../errors.js';
import { assertBucketName, assertQueueName, encodeMessage, type DeadLetterInput } from '../codec.js';
import { asPromise, type ClientContext } from './client.js';
import { MemoryKv, type KvBucketState } from './kv.js';
import { MemoryObjectStore, type ObjectBucketState } from './object-store.js';
import { subscribe } from './pubsub.js';
import type { QueueSettings, QueueState } from './queue-state.js';
import { request, serve } from './request.js';
import type { SubjectRouter, WireMessage } from './router.js';
import { MemoryWorkQueue } from './work-queue.js';

/** What a client needs of the broker it is connected to. */
export interface BrokerCore {
  readonly subjects: Subjects;
  readonly router: SubjectRouter;
  publish(message: WireMessage): void;
  deadLetter(input: DeadLetterInput): void;
  queue(name: string, subject: string, settings: QueueSettings): QueueState;
  kvBucket(bucket: string): KvBucketState;
  objectBucket(bucket: string): ObjectBucketState;
}

/** One in-process client: a simulated process on the broker. Closing it is that process dying. */
export class MemoryBus implements Bus {
  readonly transport = TransportKind.memory;
  readonly subjects: Subjects;
  /** Messages in process are never copied to a socket: no limit. */
  readonly maxPayload = Number.POSITIVE_INFINITY;
  readonly #core: BrokerCore;
  readonly #closer = new AbortController();
  readonly #client: ClientContext;

  constructor(core: BrokerCore, log: Logger) {
    this.#core = core;
    this.subjects = core.subjects;
    const closed = this.#closer.signal;
    this.#client = {
      log,
      subjects: core.subjects,
      router: core.router,
      closed,
      assertOpen: () => {
        if (closed.aborted) throw new BusClosedError();
      },
      publish: (message) => core.publish(message),
      deadLetter: (input) => core.deadLetter(input),
      onClose: (stop) => {
        closed.addEventListener('abort', stop, { once: true });
        return () => closed.removeEventListener('abort', stop);
      },
    };
  }

  publish<T>(subject: Subject, _schema: Schema<T>, message: T): Promise<void> {
    return asPromise(() => {
      this.#client.assertOpen();
      this.#core.publish({ subject, payload: encodeMessage(message) });
    });
  }

  subscribe<T>(
    subject: Subject,
    schema: Schema<T>,
    handler: MessageHandler<T>,
    options?: SubscribeOptions,
  ): Subscription {
    return subscribe(this.#client, subject, schema, handler, options);
  }

  request<Req, Res>(
    subject: Subject,
    _requestSchema: Schema<Req>,
    replySchema: Schema<Res>,
    message: Req,
    options?: RequestOptions,
  ): Promise<Res> {
    return request(this.#client, subject, replySchema, message, options);
  }

  serve<Req, Res>(
    subject: Subject,
    requestSchema: Schema<Req>,
    _replySchema: Schema<Res>,
    handler: RequestHandler<Req, Res>,
    options?: SubscribeOptions,
  ): Subscription {
    return serve(this.#client, subject, requestSchema, handler, options);
  }

  workQueue<T>(definition: WorkQueueDef<T>): Promise<WorkQueue<T>> {
    return asPromise(() => {
      this.#client.assertOpen();
      assertQueueName(definition.name);
      const settings: QueueSettings = {
        ackWaitMs: definition.ackWaitMs ?? 30_000,
        maxDeliver: definition.maxDeliver ?? 5,
        duplicateWindowMs: definition.duplicateWindowMs ?? 120_000,
      };
      return new MemoryWorkQueue(
        this.#client,
        this.#core.queue(definition.name, definition.subject, settings),
        definition.schema,
      );
    });
  }

  // `history` is accepted for parity with NATS; the in-process bucket keeps only the latest revision.
  kv<T>(bucket: string, schema: Schema<T>, _options?: KvOptions): Promise<Kv<T>> {
    return asPromise(() => {
      this.#client.assertOpen();
      assertBucketName(bucket);
      return new MemoryKv(this.#client, this.#core.kvBucket(bucket), schema);
    });
  }

  objectStore(bucket: string): Promise<ObjectStore> {
    return asPromise(() => {
      this.#client.assertOpen();
      assertBucketName(bucket);
      return new MemoryObjectStore(this.#client, this.#core.objectBucket(bucket));
    });
  }

  flush(): Promise<void> {
    return asPromise(() => this.#client.assertOpen());
  }

  /** Stops every subscription, consume and watch of this client; its unsettled deliveries return after their ack wait. */
  close(): Promise<void> {
    this.#closer.abort();
    return Promise.resolve();
  }
}
