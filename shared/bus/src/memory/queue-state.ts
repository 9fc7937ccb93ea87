import type { DeadLetterInput } from '../codec.js';
import type { WorkPublishAck } from '../types.js';

/** The settings of a work queue, defaults applied. */
export interface QueueSettings {
  ackWaitMs: number;
  maxDeliver: number;
  duplicateWindowMs: number;
}

/** A message handed to a consumer: `token` identifies this delivery among the message's deliveries. */
export interface Taken {
  seq: number;
  subject: string;
  payload: Uint8Array;
  msgId: string | undefined;
  deliveries: number;
  token: number;
}

interface Stored {
  seq: number;
  subject: string;
  payload: Uint8Array;
  msgId: string | undefined;
  deliveries: number;
  /** ready: can be taken; delayed: nak'd with a delay; pending: with a consumer until its deadline. */
  state: 'ready' | 'delayed' | 'pending';
  token: number;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter {
  resolve(taken: Taken | null): void;
}

/**
 * The broker side of one durable work queue (a JetStream work-queue stream with one shared
 * durable consumer): ordered storage, deadlines, redelivery, max deliveries, de-duplication.
 * Messages are handed out lowest sequence first to consumers waiting in arrival order.
 */
export class QueueState {
  readonly #messages = new Map<number, Stored>();
  readonly #dedup = new Map<string, { seq: number; expiresAt: number }>();
  #waiters: Waiter[] = [];
  #seq = 0;
  #tokens = 0;

  constructor(
    readonly name: string,
    readonly subject: string,
    public settings: QueueSettings,
    private readonly deadLetter: (input: DeadLetterInput) => void,
  ) {}

  /** Stores a message unless its id was seen within the duplicate window. */
  append(subject: string, payload: Uint8Array, msgId?: string): WorkPublishAck {
    const now = Date.now();
    if (msgId !== undefined) {
      for (const [id, seen] of this.#dedup) if (seen.expiresAt <= now) this.#dedup.delete(id);
      const seen = this.#dedup.get(msgId);
      if (seen !== undefined) return { seq: seen.seq, duplicate: true };
    }
    const seq = ++this.#seq;
    if (msgId !== undefined) this.#dedup.set(msgId, { seq, expiresAt: now + this.settings.duplicateWindowMs });
    this.#messages.set(seq, {
      seq,
      subject,
      payload,
      msgId,
      deliveries: 0,
      state: 'ready',
      token: 0,
      timer: undefined,
    });
    this.#pump();
    return { seq, duplicate: false };
  }

  /** Waits for the next ready message; null when the signal aborts first. */
  take(signal: AbortSignal): Promise<Taken | null> {
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(null);
      };
      waiter.resolve = (taken) => {
        signal.removeEventListener('abort', onAbort);
        resolve(taken);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** Removes the message, whichever delivery acks it (a late ack is accepted, as JetStream does). */
  ack(seq: number): void {
    this.#remove(seq);
  }

  /** Makes the message available again, after `delayMs`; at max deliveries it goes to the dead letter instead. */
  nak(seq: number, token: number, delayMs: number): void {
    const message = this.#current(seq, token);
    if (message === undefined) return;
    clearTimeout(message.timer);
    if (message.deliveries >= this.settings.maxDeliver) {
      this.#giveUp(message, 'max_deliveries', `nak'd on delivery ${message.deliveries} of ${this.settings.maxDeliver}`);
    } else if (delayMs > 0) {
      message.state = 'delayed';
      message.timer = setTimeout(() => this.#ready(message), delayMs);
    } else {
      this.#ready(message);
    }
  }

  /** Pushes the deadline of the current delivery out by another ack wait. */
  working(seq: number, token: number): void {
    const message = this.#current(seq, token);
    if (message === undefined) return;
    clearTimeout(message.timer);
    message.timer = setTimeout(() => this.#expire(message, token), this.settings.ackWaitMs);
  }

  /** Removes the message and dead-letters it with the reason. */
  term(seq: number, reason: 'terminated' | 'invalid', detail: string): void {
    const message = this.#messages.get(seq);
    if (message !== undefined) this.#giveUp(message, reason, detail);
  }

  /** Messages not yet acked, in flight included. */
  size(): number {
    return this.#messages.size;
  }

  /** Cancels every timer and releases waiting consumers (the broker is shutting down). */
  close(): void {
    for (const message of this.#messages.values()) clearTimeout(message.timer);
    for (const waiter of this.#waiters) waiter.resolve(null);
    this.#waiters = [];
  }

  #current(seq: number, token: number): Stored | undefined {
    const message = this.#messages.get(seq);
    return message?.state === 'pending' && message.token === token ? message : undefined;
  }

  #pump(): void {
    while (this.#waiters.length > 0) {
      const message = [...this.#messages.values()].find((m) => m.state === 'ready');
      const waiter = this.#waiters.shift();
      if (message === undefined || waiter === undefined) {
        if (waiter !== undefined) this.#waiters.unshift(waiter);
        return;
      }
      const token = ++this.#tokens;
      message.deliveries++;
      message.state = 'pending';
      message.token = token;
      message.timer = setTimeout(() => this.#expire(message, token), this.settings.ackWaitMs);
      const { seq, subject, payload, msgId, deliveries } = message;
      waiter.resolve({ seq, subject, payload, msgId, deliveries, token });
    }
  }

  #expire(message: Stored, token: number): void {
    if (message.state !== 'pending' || message.token !== token || !this.#messages.has(message.seq)) return;
    if (message.deliveries >= this.settings.maxDeliver) {
      this.#giveUp(message, 'max_deliveries', `not acked after ${message.deliveries} deliveries`);
    } else {
      this.#ready(message);
    }
  }

  #ready(message: Stored): void {
    if (!this.#messages.has(message.seq)) return;
    message.state = 'ready';
    message.timer = undefined;
    this.#pump();
  }

  #remove(seq: number): Stored | undefined {
    const message = this.#messages.get(seq);
    if (message === undefined) return undefined;
    clearTimeout(message.timer);
    this.#messages.delete(seq);
    return message;
  }

  // The message leaves the queue before its dead letter is published: whoever reacts to the
  // dead letter already sees the queue without it.
  #giveUp(message: Stored, reason: DeadLetterInput['reason'], detail: string): void {
    this.#remove(message.seq);
    const { subject, payload, msgId, deliveries } = message;
    this.deadLetter({ queue: this.name, subject, reason, detail, deliveries, payload, msgId });
  }
}
