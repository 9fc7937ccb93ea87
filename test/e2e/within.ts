/** Thrown when a bounded wait runs out. */
class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`timed out after ${ms} ms waiting for ${what}`);
  }
}

/** Resolves like `promise`, or rejects with WaitTimeoutError after `ms` (a bounded wait on a signal, never a sleep). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A condition re-checked whenever `notify` is called; `until` resolves once it holds. */
export function createSignal(): {
  notify(): void;
  until(condition: () => boolean, ms: number, what: string): Promise<void>;
} {
  const listeners = new Set<() => void>();
  return {
    notify: () => listeners.forEach((l) => l()),
    until: (condition, ms, what) => {
      let check = () => {};
      const met = new Promise<void>((resolve) => {
        check = () => {
          if (!condition()) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      });
      return within(met, ms, what).finally(() => listeners.delete(check));
    },
  };
}
