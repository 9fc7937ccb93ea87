import type { Logger } from '@baton/log';
import type { Subjects } from '@baton/protocol';
import type { DeadLetterInput } from '../codec.js';
import type { SubjectRouter, WireMessage } from './router.js';

/** What the parts of one in-process client (one simulated process) share: its broker access and its lifetime. */
export interface ClientContext {
  readonly log: Logger;
  readonly subjects: Subjects;
  readonly router: SubjectRouter;
  /** Aborted when the client closes: its iterations end, its pending requests fail. */
  readonly closed: AbortSignal;
  /** Throws BusClosedError once the client is closed. */
  assertOpen(): void;
  /** Publishes on the broker: to subscribers and to every work queue holding the subject. */
  publish(message: WireMessage): void;
  /** Publishes a DeadLetter on `<prefix>.dead.<queue>`. */
  deadLetter(input: DeadLetterInput): void;
  /** Runs `stop` when the client closes; the returned function cancels that. */
  onClose(stop: () => void): () => void;
}

/** Runs `fn` and returns its result as a promise, a synchronous throw becoming a rejection. */
export function asPromise<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}
