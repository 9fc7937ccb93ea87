import type { Msg } from '@nats-io/transport-node';
import type { DeadLetterInput } from '../codec.js';
import type { Delivery } from '../types.js';
import { AckPayload, type AckInfo } from './ack-reply.js';
import type { DeadLetters } from './dead-letters.js';

/** How a NatsDelivery reaches its queue: the dead letters, a flush, and the slot it holds. */
export interface DeliveryLinks {
  queue: string;
  stream: string;
  deadLetters: DeadLetters;
  /** Resolves once the server has received everything sent so far (shared among the acks of a tick). */
  flush(): Promise<void>;
  /** Frees the delivery's slot. */
  release(): void;
}

/** The message id a publisher set, if any. */
function msgIdOf(msg: Msg): string | undefined {
  return msg.headers?.get('Nats-Msg-Id') || undefined;
}

/** The dead-letter record of a JetStream delivery. */
export function deadLetterInputOf(
  msg: Msg,
  info: AckInfo,
  queue: string,
  reason: DeadLetterInput['reason'],
  detail: string,
): DeadLetterInput {
  return {
    queue,
    subject: msg.subject,
    reason,
    detail,
    deliveries: info.deliveryCount,
    payload: msg.data,
    msgId: msgIdOf(msg),
  };
}

/**
 * One JetStream delivery behind the Delivery interface; the first settle wins, later ones are no-ops.
 * Settling sends the ack-protocol payload to the delivery's reply subject and resolves once the server has
 * received it (one shared PING/PONG per tick, not a request per ack).
 */
export class NatsDelivery<T> implements Delivery<T> {
  #settled = false;

  constructor(
    readonly data: T,
    private readonly msg: Msg,
    private readonly info: AckInfo,
    private readonly links: DeliveryLinks,
  ) {}

  get subject(): string {
    return this.msg.subject;
  }

  get deliveryCount(): number {
    return this.info.deliveryCount;
  }

  get msgId(): string | undefined {
    return msgIdOf(this.msg);
  }

  get seq(): number {
    return this.info.streamSeq;
  }

  // The slot is released before the server confirms, so the next pull overlaps the confirmation round trip.
  #settle(payload: Uint8Array): Promise<void> {
    if (this.#settled) return Promise.resolve();
    this.#settled = true;
    this.msg.respond(payload);
    this.links.release();
    return this.links.flush();
  }

  async ack(): Promise<void> {
    await this.#settle(AckPayload.ack);
  }

  async nak(delayMs?: number): Promise<void> {
    await this.#settle(delayMs === undefined || delayMs <= 0 ? AckPayload.nak : AckPayload.nakWithDelay(delayMs));
  }

  async working(): Promise<void> {
    if (this.#settled) return;
    this.msg.respond(AckPayload.working);
    await this.links.flush();
  }

  async term(reason: string): Promise<void> {
    if (this.#settled) return;
    // Dead letter first: if we die between the two steps the item is redelivered, never lost.
    const letter = deadLetterInputOf(this.msg, this.info, this.links.queue, 'terminated', reason);
    await this.links.deadLetters.write(letter, `${this.links.stream}:${this.info.streamSeq}`);
    await this.#settle(AckPayload.term);
  }
}
