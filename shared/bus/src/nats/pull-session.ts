import type { Logger } from '@baton/log';
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { AckPayload } from './ack-reply.js';

/** How long one pull request waits on the server before it expires (and is re-issued if still needed). */
const PULL_EXPIRES_MS = 5_000;
/** A pull not answered (messages or a 408) this long after it expired is presumed lost, e.g. in a server restart. */
const PULL_LOST_AFTER_MS = PULL_EXPIRES_MS + 2_000;
/** Pause before pulling again after the server refused a pull (503 while JetStream restarts, 409 consumer deleted, …). */
const REFUSED_RETRY_MS = 500;

/** Options of a PullSession. */
export interface PullSessionOptions {
  stream: string;
  consumer: string;
  maxInFlight: number;
  logger: Logger;
  /** Registers a listener for the connection's reconnects; returns its removal. */
  onReconnect: (listener: () => void) => () => void;
}

/**
 * Pulls from a durable JetStream consumer on one inbox subscription, never asking for more than the free
 * slots: requested (outstanding on the server) + buffered (received, not handed out) + in flight (handed
 * out, unsettled) <= maxInFlight. Several pulls may be outstanding, so a freed slot is refilled without
 * waiting for the previous batch to finish.
 *
 * Lifecycle: `open` (pulling as slots free) -> `stopped` (subscription gone, buffered messages nak'ed).
 * After a reconnect or a lost pull the accounting is reset and the pull re-issued; a message beyond the
 * limit (a pull we thought lost was not) is given straight back with a nak.
 */
export class PullSession {
  readonly #inbox = createInbox();
  readonly #buffer: Msg[] = [];
  readonly #sub: Subscription;
  readonly #watchdog: NodeJS.Timeout;
  readonly #threshold: number;
  readonly #forgetReconnects: () => void;
  #requested = 0;
  #inFlight = 0;
  #lastHeard = Date.now();
  #wake: (() => void) | undefined;
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: PullSessionOptions,
  ) {
    // Pull in chunks of a quarter of the slots, so a busy queue is not asked once per freed slot.
    this.#threshold = Math.max(1, Math.floor(options.maxInFlight / 4));
    this.#sub = nc.subscribe(this.#inbox, {
      callback: (err, msg) => (err === null ? this.#receive(msg) : this.#failed(err)),
    });
    this.#watchdog = setInterval(() => this.#checkLost(), PULL_EXPIRES_MS);
    // Pull requests do not survive a reconnect to a restarted server.
    this.#forgetReconnects = options.onReconnect(() => this.#reset());
    this.pull();
  }

  /** Takes the next received message, waiting for one; null once stopped. */
  async next(signal: AbortSignal): Promise<Msg | null> {
    while (!this.#stopped && !signal.aborted) {
      const msg = this.#buffer.shift();
      if (msg !== undefined) return msg;
      this.pull();
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return null;
  }

  /** A received message was handed out: it holds a slot until `settled`. */
  handedOut(): void {
    this.#inFlight++;
  }

  /** A handed-out message was acked, nak'ed or terminated: its slot is free again. */
  settled(): void {
    this.#inFlight--;
    this.pull();
  }

  /** A received message was consumed without being handed out (an invalid one, dead-lettered). */
  dropped(): void {
    this.pull();
  }

  /** Asks the server for as many messages as there are free slots (in chunks). */
  pull(): void {
    if (this.#stopped || this.nc.isClosed() || this.#retry !== undefined) return;
    const free = this.options.maxInFlight - this.#inFlight - this.#buffer.length - this.#requested;
    if (free <= 0 || (free < this.#threshold && this.#requested > 0)) return;
    this.#requested += free;
    const { stream, consumer } = this.options;
    this.nc.publish(
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
      JSON.stringify({ batch: free, expires: PULL_EXPIRES_MS * 1_000_000 }),
      {
        reply: this.#inbox,
      },
    );
  }

  /** Stops pulling; messages received but never handed out go straight back to the queue. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#watchdog);
    clearTimeout(this.#retry);
    this.#forgetReconnects();
    this.#sub.unsubscribe();
    for (const msg of this.#buffer.splice(0)) msg.respond(AckPayload.nak);
    this.#wake?.();
  }

  #receive(msg: Msg): void {
    this.#lastHeard = Date.now();
    if (msg.subject === this.#inbox) {
      this.#status(msg);
      return;
    }
    this.#requested = Math.max(0, this.#requested - 1);
    if (this.#stopped || this.#inFlight + this.#buffer.length >= this.options.maxInFlight) {
      msg.respond(AckPayload.nak);
      return;
    }
    this.#buffer.push(msg);
    this.#wake?.();
  }

  /** A status message on the inbox: 408 (pull expired) and 409 (pull ended) say how many were left unfilled. */
  #status(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code === 100) return;
    const left = Number(msg.headers?.get('Nats-Pending-Messages') ?? Number.NaN);
    if (Number.isInteger(left)) this.#requested = Math.max(0, this.#requested - left);
    else this.#requested = 0;
    if (code === 408 || code === 404) {
      this.pull();
      return;
    }
    // Re-pulling at once would spin against a server that keeps refusing.
    this.options.logger.debug(
      { code, description: msg.headers?.description, stream: this.options.stream },
      'pull refused; retrying',
    );
    this.#retry ??= setTimeout(() => {
      this.#retry = undefined;
      this.pull();
    }, REFUSED_RETRY_MS);
  }

  #failed(err: Error): void {
    this.options.logger.error({ err, stream: this.options.stream }, 'pull subscription failed');
    this.stop();
  }

  #checkLost(): void {
    if (this.#requested > 0 && Date.now() - this.#lastHeard > PULL_LOST_AFTER_MS) this.#reset();
  }

  #reset(): void {
    this.#requested = 0;
    this.#lastHeard = Date.now();
    this.pull();
  }
}
