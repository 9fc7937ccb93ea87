import { customAlphabet } from 'nanoid';
import { DeadLetter, type Subject } from '@baton/protocol';
import { z } from 'zod';
import type { Bus, Subscription } from '../types.js';

/** A short id safe in subjects, queue names, buckets and KV keys. */
export const uniqueId = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 10);

/** The message schema the contract sends. */
export const Item = z.strictObject({ n: z.number().int() });
/** A message of the contract. */
export type Item = z.infer<typeof Item>;

/** A schema that accepts anything: publishing through it injects malformed messages (the bus validates on receipt only). */
export const Anything: z.ZodType<unknown> = z.unknown();

/** How long any single wait of the contract may take before the case fails. */
const WAIT_MS = 10_000;

/** Rejects when the promise has not settled within `ms`, naming what was awaited. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it holds, failing after `ms` (for state the bus settles asynchronously, such as a queue's size). */
export async function eventually(check: () => Promise<boolean>, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves after `ms`; only for cases asserting that something does NOT happen within a window. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects what a handler receives and lets the test wait for a count. */
export class Collector<T> {
  readonly items: T[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  /** Records one item. */
  readonly push = (item: T): void => {
    this.items.push(item);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.items.length < w.count) return true;
      w.resolve();
      return false;
    });
  };

  /** Resolves with the items once there are at least `count`. */
  async atLeast(count: number, what: string): Promise<T[]> {
    if (this.items.length < count) {
      await within(
        new Promise<void>((resolve) => this.#waiters.push({ count, resolve })),
        `${count} × ${what} (got ${this.items.length})`,
      );
    }
    return this.items;
  }
}

/** Subscribes to the dead letters of a queue (`pubsub` for plain subscriptions) and waits until the subscription is live. */
export async function watchDeadLetters(
  bus: Bus,
  queue: string,
): Promise<{ letters: Collector<DeadLetter>; subscription: Subscription }> {
  const letters = new Collector<DeadLetter>();
  const subscription = bus.subscribe(bus.subjects.deadLetter(queue), DeadLetter, letters.push);
  await bus.flush();
  return { letters, subscription };
}

/** A unique subject `<prefix>.<root>.<id>` for one case. */
export function uniqueSubject(bus: Bus, root: string): Subject {
  return bus.subjects.custom(root, uniqueId());
}

/** `<subject>.>`: the subject builders validate tokens, so the contract forms this wildcard itself. */
export function underAll(subject: Subject): Subject {
  return `${subject}.>` as Subject;
}
