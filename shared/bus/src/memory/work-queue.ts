import type { ConsumeOptions, Delivery, Schema, WorkPublishAck, WorkPublishOptions, WorkQueue } from '../types.js';
import { InvalidNameError } from '../errors.js';
import { decodeMessage, encodeMessage } from '../codec.js';
import { asPromise, type ClientContext } from './client.js';
import type { QueueState, Taken } from './queue-state.js';
import { hasWildcard, subjectMatches } from './subject-match.js';

/** One client's handle on a work queue held by the broker. */
export class MemoryWorkQueue<T> implements WorkQueue<T> {
  constructor(
    private readonly client: ClientContext,
    private readonly state: QueueState,
    private readonly schema: Schema<T>,
  ) {}

  get name(): string {
    return this.state.name;
  }

  publish(message: T, options?: WorkPublishOptions): Promise<WorkPublishAck> {
    return asPromise(() => {
      this.client.assertOpen();
      const subject = options?.subject ?? this.state.subject;
      if (hasWildcard(subject) || !subjectMatches(this.state.subject, subject))
        throw new InvalidNameError('work subject', subject);
      const payload = encodeMessage(message);
      const ack = this.state.append(subject, payload, options?.msgId);
      // Like a JetStream publish, the message also reaches plain subscribers of its subject.
      this.client.router.route({ subject, payload });
      return ack;
    });
  }

  size(): Promise<number> {
    return asPromise(() => {
      this.client.assertOpen();
      return this.state.size();
    });
  }

  consume(options: ConsumeOptions): AsyncIterable<Delivery<T>> {
    this.client.assertOpen();
    return { [Symbol.asyncIterator]: () => this.#deliveries(options) };
  }

  // Lazy by design: a message is taken from the queue only when the reader asks for the next
  // one and has a free slot, so nothing waits in a client-side buffer.
  async *#deliveries(options: ConsumeOptions): AsyncGenerator<Delivery<T>> {
    const stop =
      options.signal === undefined ? this.client.closed : AbortSignal.any([options.signal, this.client.closed]);
    const maxInFlight = Math.max(1, Math.floor(options.maxInFlight));
    const slots = new Slots(maxInFlight);
    while (!stop.aborted) {
      if (!(await slots.free(stop))) return;
      const taken = await this.state.take(stop);
      if (taken === null) return;
      const decoded = decodeMessage(this.schema, taken.payload);
      if (!decoded.ok) {
        this.client.log.warn(
          { queue: this.name, seq: taken.seq, issues: decoded.issues },
          'invalid work item dead-lettered',
        );
        this.state.term(taken.seq, 'invalid', decoded.issues);
        continue;
      }
      slots.hold();
      yield new MemoryDelivery(decoded.value, taken, this.state, this.client, () => slots.release());
    }
  }
}

/** Counts unsettled deliveries of one consume iteration. */
class Slots {
  #held = 0;
  #wake: (() => void) | undefined;

  constructor(private readonly max: number) {}

  hold(): void {
    this.#held++;
  }

  release(): void {
    this.#held--;
    this.#wake?.();
  }

  /** Resolves true when a slot is free, false if the signal aborts first. */
  async free(signal: AbortSignal): Promise<boolean> {
    while (this.#held >= this.max) {
      if (signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#wake = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return !signal.aborted;
  }
}

/** One delivery; the first of ack, nak and term settles it and the rest are ignored. */
class MemoryDelivery<T> implements Delivery<T> {
  readonly subject: string;
  readonly deliveryCount: number;
  readonly msgId: string | undefined;
  readonly seq: number;
  #settled = false;

  constructor(
    readonly data: T,
    private readonly taken: Taken,
    private readonly state: QueueState,
    private readonly client: ClientContext,
    private readonly onSettle: () => void,
  ) {
    this.subject = taken.subject;
    this.deliveryCount = taken.deliveries;
    this.msgId = taken.msgId;
    this.seq = taken.seq;
  }

  ack(): Promise<void> {
    return asPromise(() => {
      if (this.#settle()) this.state.ack(this.seq);
    });
  }

  nak(delayMs = 0): Promise<void> {
    return asPromise(() => {
      if (this.#settle()) this.state.nak(this.seq, this.taken.token, delayMs);
    });
  }

  working(): Promise<void> {
    return asPromise(() => {
      this.client.assertOpen();
      if (!this.#settled) this.state.working(this.seq, this.taken.token);
    });
  }

  term(reason: string): Promise<void> {
    return asPromise(() => {
      if (this.#settle()) this.state.term(this.seq, 'terminated', reason);
    });
  }

  #settle(): boolean {
    // A dead process cannot settle anything: its deliveries come back after the ack wait.
    this.client.assertOpen();
    if (this.#settled) return false;
    this.#settled = true;
    this.onSettle();
    return true;
  }
}
