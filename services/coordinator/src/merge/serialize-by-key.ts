/** Tail of the queue per key; absent when nothing is queued for that key. */
const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every task queued earlier under the same key finished (settled), one at a
 * time per key within this process; different keys run concurrently.
 */
export async function serializeByKey<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  // The chain waits on the previous task's settlement, never its value, so one failure does not poison the queue.
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
