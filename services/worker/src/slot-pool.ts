import type { Delivery, WorkQueue } from '@baton/bus';
import type { Logger } from '@baton/log';

/** A slot held by one item: released once, by the item when its work is done or by the pool when it settles. */
export interface Slot {
  /** Gives the slot to the next item in hand, which starts in this call. Later calls do nothing. */
  release(): void;
}

/** Options of startSlotPool. */
export interface SlotPoolOptions<T> {
  /** Items run at once, across queues. */
  slots: number;
  queues: readonly WorkQueue<T>[];
  /** The queues' ack wait: an item in hand is kept alive with `working()` three times per ack wait. */
  ackWaitMs: number;
  log: Logger;
  /**
   * Runs one item with a slot held. It may release the slot before it settles (its Result is out while it acks);
   * the pool releases it, stops the item's keep-alive and forgets the item when the returned promise settles.
   */
  run: (delivery: Delivery<T>, slot: Slot) => Promise<void>;
}

/** The worker's slots over its queues. Lifecycle: taking (started) -> closed (close called) -> settled. */
export interface SlotPool<T> {
  /** Stops taking items; items waiting for a slot go back to their queue. Resolves once the consume loops ended. */
  close(): Promise<void>;
  /** Resolves once every item taken so far has settled (run, dropped or given back). */
  settled(): Promise<void>;
  /** Returns an item to its queue now (the draining worker's items in hand once its grace period is over). */
  giveBack(delivery: Delivery<T>): Promise<void>;
}

/**
 * Starts consuming the queues into `slots` slots. One item more than the slots is taken from each queue (consume
 * never has more unsettled), so the next item is in hand the moment a slot frees, and a freed slot starts it in the
 * same call (no hop through the event loop): a slot never sits idle while an item is in hand.
 */
export function startSlotPool<T>(options: SlotPoolOptions<T>): SlotPool<T> {
  const { slots, log } = options;
  const abort = new AbortController();
  const tasks = new Set<Promise<void>>();
  let free = slots;
  // Items waiting for a slot, oldest first.
  const waiting: { start: () => void; giveUp: () => void }[] = [];

  const freeOne = () => {
    const next = waiting.shift();
    if (next) next.start();
    else free++;
  };
  const whenSlotFree = (start: () => void, giveUp: () => void): void => {
    if (abort.signal.aborted) return giveUp();
    if (free > 0) {
      free--;
      return start();
    }
    waiting.push({ start, giveUp });
  };
  abort.signal.addEventListener('abort', () => waiting.splice(0).forEach((w) => w.giveUp()), { once: true });

  const giveBack = (delivery: Delivery<T>) =>
    delivery
      .nak()
      .catch((err: unknown) =>
        log.warn({ err, seq: delivery.seq }, 'could not return an item; it comes back after its ack wait'),
      );
  const track = (task: Promise<void>) => {
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
  };
  // From receipt until settled, including while it waits for a slot, an item's lease is kept alive.
  const keepAlive = (delivery: Delivery<T>) =>
    setInterval(
      () => void delivery.working().catch((err: unknown) => log.warn({ err }, 'queue heartbeat failed')),
      Math.max(100, Math.floor(options.ackWaitMs / 3)),
    );

  const take = (delivery: Delivery<T>) => {
    const lease = keepAlive(delivery);
    const start = () => {
      let held = true;
      const slot: Slot = {
        release: () => {
          if (!held) return;
          held = false;
          freeOne();
        },
      };
      const settle = () => {
        clearInterval(lease);
        slot.release();
      };
      track(
        options.run(delivery, slot).then(settle, (err: unknown) => {
          settle();
          log.error({ err, seq: delivery.seq }, 'an item failed outside its handler');
        }),
      );
    };
    const giveUp = () => {
      clearInterval(lease);
      track(giveBack(delivery));
    };
    whenSlotFree(start, giveUp);
  };

  const loops = options.queues.map(async (queue) => {
    for await (const delivery of queue.consume({ maxInFlight: slots + 1, signal: abort.signal })) take(delivery);
  });

  return {
    close: async () => {
      abort.abort();
      await Promise.all(loops);
    },
    settled: async () => {
      await Promise.all([...tasks]);
    },
    giveBack,
  };
}
