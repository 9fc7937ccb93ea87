import type { Logger } from '@baton/log';
import type { Subject } from '@baton/protocol';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type {
  ConsumeOptions,
  Delivery,
  Schema,
  WorkPublishAck,
  WorkPublishOptions,
  WorkQueue,
  WorkQueueDef,
} from '../types.js';
import type { DeadLetters } from './dead-letters.js';
import { ensureConsumer, ensureStream } from './ensure-stream.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { AckPayload, parseAckReply, type AckInfo } from './ack-reply.js';
import { NatsDelivery, deadLetterInputOf, type DeliveryLinks } from './nats-delivery.js';
import { PullSession } from './pull-session.js';
import type { QueueNames } from './nats-names.js';

const DEFAULT_ACK_WAIT_MS = 30_000;
const DEFAULT_MAX_DELIVER = 5;
const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** Redelivery delay of an invalid message whose dead letter could not be stored. */
const RETRY_DELAY_MS = 1_000;

/** What a NatsWorkQueue needs from its bus. */
export interface WorkQueueContext {
  nc: NatsConnection;
  jsm: JetStreamManager;
  js: JetStreamClient;
  names: QueueNames;
  deadLetters: DeadLetters;
  logger: Logger;
  /** Aborts when the bus closes. */
  closed: AbortSignal;
  /** Registers a listener for the connection's reconnects; returns its removal. */
  onReconnect: (listener: () => void) => () => void;
  flush(): Promise<void>;
}

/** Creates (or verifies) the queue's stream and durable pull consumer. */
export async function ensureWorkQueue<T>(context: WorkQueueContext, definition: WorkQueueDef<T>): Promise<void> {
  const { jsm, names } = context;
  await ensureStream(jsm, {
    name: names.stream,
    subjects: [definition.subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    // Never drop unconsumed work to make room: a full stream rejects the publish instead.
    discard: DiscardPolicy.New,
    duplicate_window: nanos(definition.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  });
  await ensureConsumer(jsm, names.stream, {
    durable_name: names.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(definition.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
    max_deliver: definition.maxDeliver ?? DEFAULT_MAX_DELIVER,
    max_ack_pending: 10_000,
  });
  await context.deadLetters.ensure();
}

/** A work queue on JetStream: one work-queue-retention stream and one durable pull consumer with explicit ack. */
export class NatsWorkQueue<T> implements WorkQueue<T> {
  readonly name: string;
  readonly #schema: Schema<T>;
  readonly #subject: Subject;

  constructor(
    private readonly context: WorkQueueContext,
    definition: WorkQueueDef<T>,
  ) {
    this.name = definition.name;
    this.#schema = definition.schema;
    this.#subject = definition.subject;
  }

  async publish(message: T, options: WorkPublishOptions = {}): Promise<WorkPublishAck> {
    const subject = options.subject ?? this.#subject;
    const ack = await this.context.js.publish(
      subject,
      encodeMessage(message),
      options.msgId === undefined ? undefined : { msgID: options.msgId },
    );
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  async size(): Promise<number> {
    const info = await this.context.jsm.streams.info(this.context.names.stream);
    return info.state.messages;
  }

  consume(options: ConsumeOptions): AsyncIterable<Delivery<T>> {
    return this.#deliveries(options);
  }

  async *#deliveries(options: ConsumeOptions): AsyncGenerator<Delivery<T>> {
    const { context } = this;
    const stop = options.signal === undefined ? context.closed : AbortSignal.any([options.signal, context.closed]);
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    }
    if (stop.aborted) return;
    const session = new PullSession(context.nc, {
      stream: context.names.stream,
      consumer: context.names.consumer,
      maxInFlight: options.maxInFlight,
      logger: context.logger,
      onReconnect: context.onReconnect,
    });
    const links: DeliveryLinks = {
      queue: this.name,
      stream: context.names.stream,
      deadLetters: context.deadLetters,
      flush: () => context.flush(),
      release: () => session.settled(),
    };
    try {
      for (let msg = await session.next(stop); msg !== null; msg = await session.next(stop)) {
        const info = parseAckReply(msg.reply);
        if (info === null) {
          context.logger.warn(
            { queue: this.name, subject: msg.subject },
            'message without JetStream delivery info ignored',
          );
          session.dropped();
          continue;
        }
        const decoded = decodeMessage(this.#schema, msg.data);
        if (!decoded.ok) {
          await this.#rejectInvalid(msg, info, decoded.issues);
          session.dropped();
          continue;
        }
        session.handedOut();
        yield new NatsDelivery(decoded.value, msg, info, links);
      }
    } finally {
      session.stop();
    }
  }

  /** An invalid message is dead-lettered and terminated, never yielded, so it cannot block valid ones. */
  async #rejectInvalid(msg: Msg, info: AckInfo, issues: string): Promise<void> {
    const { context } = this;
    try {
      await context.deadLetters.write(
        deadLetterInputOf(msg, info, this.name, 'invalid', issues),
        `${context.names.stream}:${info.streamSeq}`,
      );
      msg.respond(AckPayload.term);
    } catch (err) {
      // Could not store the dead letter: leave the message for redelivery rather than lose it.
      context.logger.error(
        { err, queue: this.name, seq: info.streamSeq },
        'dead-lettering an invalid message failed; it will be redelivered',
      );
      msg.respond(AckPayload.nakWithDelay(RETRY_DELAY_MS));
    }
  }
}
