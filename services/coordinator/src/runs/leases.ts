/**
 * The leases of a run's attempts, one timer per subtask: when an attempt's runs out before its Result comes,
 * `onExpire` is told (the run then dispatches a new attempt). A timer leaves the map when it fires or is cleared.
 */
export class Leases {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private disposed = false;

  constructor(private readonly onExpire: (subtaskId: string, attempt: number, leaseMs: number) => void) {}

  /** Starts the lease of an attempt (replacing the subtask's previous one). */
  arm(subtaskId: string, attempt: number, ms: number): void {
    this.clear(subtaskId);
    // A step that was running when the coordinator stopped arms no timer past its stop (the next start re-arms).
    if (this.disposed) return;
    const timer = setTimeout(() => {
      if (this.timers.get(subtaskId) === timer) this.timers.delete(subtaskId);
      this.onExpire(subtaskId, attempt, ms);
    }, ms);
    timer.unref();
    this.timers.set(subtaskId, timer);
  }

  /** Stops the subtask's lease (its Result came). */
  clear(subtaskId: string): void {
    clearTimeout(this.timers.get(subtaskId));
    this.timers.delete(subtaskId);
  }

  /** Leases running now. */
  get size(): number {
    return this.timers.size;
  }

  /** Stops every lease; none is armed afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
