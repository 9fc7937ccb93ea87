import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageHandler, Schema, SubscribeOptions, Subscription } from '../types.js';
import { PUBSUB_QUEUE, decodeMessage } from '../codec.js';
import type { ClientContext } from './client.js';
import type { WireMessage } from './router.js';
import { subjectMatches } from './subject-match.js';

/** Which handler run (if any) the current code is part of: lets a handler unsubscribe itself without waiting on itself. */
const currentRun = new AsyncLocalStorage<object>();

/** How a listener runs its handler: one message at a time in order (subscribe), or each at once (serve). */
export type ListenerMode = 'serial' | 'concurrent';

/**
 * The delivery loop of one subscription. Messages are handed over on a later macrotask, as if
 * they had crossed a wire; `stop` drops what has not started and waits for what has.
 */
export class Listener {
  #inbox: WireMessage[] = [];
  #draining = false;
  #stopped = false;
  readonly #active = new Map<object, Promise<void>>();

  /** @param handle must not reject: it reports its own failures. */
  constructor(
    private readonly mode: ListenerMode,
    private readonly handle: (message: WireMessage) => Promise<void>,
  ) {}

  /** Accepts a message from the router. */
  readonly deliver = (message: WireMessage): void => {
    if (this.#stopped) return;
    if (this.mode === 'concurrent') {
      setImmediate(() => void this.#run(message));
      return;
    }
    this.#inbox.push(message);
    if (this.#draining) return;
    this.#draining = true;
    setImmediate(() => void this.#drain());
  };

  /** Stops delivery and resolves when the handlers already running have finished (except the caller's own). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#inbox = [];
    const self = currentRun.getStore();
    await Promise.all([...this.#active].filter(([run]) => run !== self).map(([, running]) => running));
  }

  async #drain(): Promise<void> {
    for (let next = this.#inbox.shift(); next !== undefined; next = this.#inbox.shift()) await this.#run(next);
    this.#draining = false;
  }

  #run(message: WireMessage): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const run = {};
    const running = currentRun.run(run, () => this.handle(message)).finally(() => this.#active.delete(run));
    this.#active.set(run, running);
    return running;
  }
}

/** Adds a listener to the router for the client's lifetime; the Subscription removes it. */
export function attachListener(
  client: ClientContext,
  pattern: string,
  queue: string | undefined,
  listener: Listener,
): Subscription {
  const remove = client.router.add({ pattern, queue, deliver: listener.deliver });
  const forget = client.onClose(() => {
    remove();
    void listener.stop();
  });
  return {
    unsubscribe: async () => {
      remove();
      forget();
      await listener.stop();
    },
  };
}

/** Subscribes a handler: each message is validated, then handled in arrival order; throws are logged. */
export function subscribe<T>(
  client: ClientContext,
  subject: string,
  schema: Schema<T>,
  handler: MessageHandler<T>,
  options?: SubscribeOptions,
): Subscription {
  client.assertOpen();
  const listener = new Listener('serial', async (message) => {
    const decoded = decodeMessage(schema, message.payload);
    if (!decoded.ok) {
      rejectInvalid(client, message, decoded.issues);
      return;
    }
    try {
      await handler(decoded.value, { subject: message.subject });
    } catch (err) {
      client.log.error({ err, subject: message.subject }, 'subscription handler threw');
    }
  });
  return attachListener(client, subject, options?.queue, listener);
}

function rejectInvalid(client: ClientContext, message: WireMessage, issues: string): void {
  client.log.warn({ subject: message.subject, issues }, 'invalid message dead-lettered');
  // An invalid message on a dead-letter subject is only logged: dead-lettering it again would loop.
  if (subjectMatches(client.subjects.deadLetterAll(), message.subject)) return;
  client.deadLetter({
    queue: PUBSUB_QUEUE,
    subject: message.subject,
    reason: 'invalid',
    detail: issues,
    deliveries: 1,
    payload: message.payload,
  });
}
