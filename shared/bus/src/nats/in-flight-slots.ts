/** Counts unsettled deliveries against a limit; `whenFree` resolves once a slot is free (or the signal fires). */
export class InFlightSlots {
  #used = 0;
  #waiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${limit}`);
  }

  /** Free slots now. */
  get free(): number {
    return this.limit - this.#used;
  }

  take(): void {
    this.#used++;
  }

  release(): void {
    this.#used--;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when at least one slot is free or the signal aborts. */
  async whenFree(signal: AbortSignal): Promise<void> {
    while (this.free <= 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }
}
