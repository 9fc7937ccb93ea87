import type { Logger } from '@baton/log';
import type { Subject } from '@baton/protocol';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { ConsumeOptions, Delivery, Schema, WorkPublishAck, WorkPublishOptions, WorkQueue, WorkQueueDef } from '../types.js';
import type { DeadLetters } from './dead-letters.js';
import { ensureConsumer, ensureStream } from './ensure-stream.js';
import { InFlightSlots } from './in-flight-slots.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { NatsDelivery, deadLetterInputOf, type DeliveryLinks } from './nats-delivery.js';
import type { QueueNames } from './nats-names.js';

const DEFAULT_ACK_WAIT_MS = 30_000;
const DEFAULT_MAX_DELIVER = 5;
const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** How long one pull waits on the server for messages before it is re-issued. */
const PULL_EXPIRES_MS = 5_000;
const RETRY_DELAY_MS = 250;

/** What a NatsWorkQueue needs from its bus. */
export interface WorkQueueContext {
  jsm: JetStreamManager;
  js: JetStreamClient;
  names: QueueNames;
  deadLetters: DeadLetters;
  logger: Logger;
  /** Aborts when the bus closes. */
  closed: AbortSignal;
  flush(): Promise<void>;
}

/** Creates (or verifies) the queue's stream and durable pull consumer. */
export async function ensureWorkQueue<T>(context: WorkQueueContext, definition: WorkQueueDef<T>): Promise<Consumer> {
  const { jsm, js, names } = context;
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
  return js.consumers.get(names.stream, names.consumer);
}

/** A work queue on JetStream: one work-queue-retention stream and one durable pull consumer with explicit ack. */
export class NatsWorkQueue<T> implements WorkQueue<T> {
  readonly name: string;
  readonly #schema: Schema<T>;
  readonly #subject: Subject;

  constructor(
    private readonly context: WorkQueueContext,
    definition: WorkQueueDef<T>,
    private readonly consumer: Consumer,
  ) {
    this.name = definition.name;
    this.#schema = definition.schema;
    this.#subject = definition.subject;
  }

  async publish(message: T, options: WorkPublishOptions = {}): Promise<WorkPublishAck> {
    const subject = options.subject ?? this.#subject;
    const ack = await this.context.js.publish(subject, encodeMessage(message), options.msgId === undefined ? undefined : { msgID: options.msgId });
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
    const slots = new InFlightSlots(options.maxInFlight);
    const stop = options.signal === undefined ? this.context.closed : AbortSignal.any([options.signal, this.context.closed]);
    const links: DeliveryLinks = {
      queue: this.name,
      stream: this.context.names.stream,
      deadLetters: this.context.deadLetters,
      flush: () => this.context.flush(),
      release: () => slots.release(),
    };
    while (!stop.aborted) {
      await slots.whenFree(stop);
      if (stop.aborted) break;
      let batch;
      try {
        batch = await this.consumer.fetch({ max_messages: slots.free, expires: PULL_EXPIRES_MS });
      } catch (err) {
        // Disconnected, JetStream not ready after a restart, …: the pull is retried, the work stays queued.
        if (stop.aborted) break;
        this.context.logger.debug({ err, queue: this.name }, 'pull failed; retrying');
        await delay(RETRY_DELAY_MS, stop);
        continue;
      }
      const closeBatch = () => void batch.close();
      stop.addEventListener('abort', closeBatch, { once: true });
      try {
        for await (const msg of batch) {
          if (stop.aborted) {
            // Pulled but never handed out: give it straight back.
            msg.nak();
            continue;
          }
          const delivery = await this.#toDelivery(msg, links);
          if (delivery === null) continue;
          slots.take();
          yield delivery;
        }
      } catch (err) {
        if (!stop.aborted) this.context.logger.debug({ err, queue: this.name }, 'pull ended with an error; pulling again');
      } finally {
        stop.removeEventListener('abort', closeBatch);
      }
    }
  }

  /** Validates a message; an invalid one is dead-lettered and terminated (null), never yielded. */
  async #toDelivery(msg: JsMsg, links: DeliveryLinks): Promise<NatsDelivery<T> | null> {
    const decoded = decodeMessage(this.#schema, msg.data);
    if (decoded.ok) return new NatsDelivery(decoded.value, msg, links);
    try {
      await this.context.deadLetters.write(deadLetterInputOf(msg, this.name, 'invalid', decoded.issues), `${links.stream}:${msg.seq}`);
      msg.term();
    } catch (err) {
      // Could not store the dead letter: leave the message for redelivery rather than lose it.
      this.context.logger.error({ err, queue: this.name, seq: msg.seq }, 'dead-lettering an invalid message failed; it will be redelivered');
      msg.nak(RETRY_DELAY_MS);
    }
    return null;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
