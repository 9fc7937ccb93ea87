import type { JsMsg } from '@nats-io/jetstream';
import type { Delivery } from '../types.js';
import type { DeadLetterInput } from '../codec.js';
import type { DeadLetters } from './dead-letters.js';

/** How a NatsDelivery reaches its queue: the dead letters, a flush, and the slot it holds. */
export interface DeliveryLinks {
  queue: string;
  stream: string;
  deadLetters: DeadLetters;
  flush(): Promise<void>;
  release(): void;
}

/** The dead-letter record of a JetStream delivery. */
export function deadLetterInputOf(msg: JsMsg, queue: string, reason: DeadLetterInput['reason'], detail: string): DeadLetterInput {
  return {
    queue,
    subject: msg.subject,
    reason,
    detail,
    deliveries: msg.info.deliveryCount,
    payload: msg.data,
    msgId: msg.headers?.get('Nats-Msg-Id') || undefined,
  };
}

/** One JetStream delivery behind the Delivery interface; the first settle wins, later ones are no-ops. */
export class NatsDelivery<T> implements Delivery<T> {
  #settled = false;

  constructor(
    readonly data: T,
    private readonly msg: JsMsg,
    private readonly links: DeliveryLinks,
  ) {}

  get subject(): string {
    return this.msg.subject;
  }

  get deliveryCount(): number {
    return this.msg.info.deliveryCount;
  }

  get msgId(): string | undefined {
    return this.msg.headers?.get('Nats-Msg-Id') || undefined;
  }

  get seq(): number {
    return this.msg.seq;
  }

  // The slot is released before the server confirms, so the next pull overlaps the confirmation round trip.
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.links.release();
    return true;
  }

  async ack(): Promise<void> {
    if (!this.#settle()) return;
    await this.msg.ackAck();
  }

  async nak(delayMs?: number): Promise<void> {
    if (!this.#settle()) return;
    this.msg.nak(delayMs);
    await this.links.flush();
  }

  async working(): Promise<void> {
    if (this.#settled) return;
    this.msg.working();
    await this.links.flush();
  }

  async term(reason: string): Promise<void> {
    if (this.#settled) return;
    // Dead letter first: if we die between the two steps the item is redelivered, never lost.
    await this.links.deadLetters.write(deadLetterInputOf(this.msg, this.links.queue, 'terminated', reason), `${this.links.stream}:${this.msg.seq}`);
    if (!this.#settle()) return;
    // No reason on the wire: servers before 2.11 compare the payload to a bare `+TERM`.
    this.msg.term();
    await this.links.flush();
  }
}
