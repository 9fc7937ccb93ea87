/**
 * What every run of one coordinator shares before dispatching: a global limit on subtasks in
 * flight across runs, and a back-off for model work after a worker reports the model API rate
 * limited or overloaded (every run waits, not just the one that was told).
 */
export class DispatchGate {
  private readonly active = new Map<string, number>();
  private modelPausedUntil = 0;
  private wake: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxInFlight: number,
    /** Called when slots free up or a back-off ends, so waiting runs dispatch again. */
    private readonly onChange: () => void,
  ) {}

  /** Slots a run may use now, given how many it has in flight. */
  free(runId: string, ownActive: number): number {
    let others = 0;
    for (const [id, n] of this.active) if (id !== runId) others += n;
    return Math.max(0, this.maxInFlight - others - ownActive);
  }

  /** Records a run's subtasks in flight; other runs are told when this frees slots. */
  setActive(runId: string, count: number): void {
    const before = this.active.get(runId) ?? 0;
    if (count === 0) this.active.delete(runId);
    else this.active.set(runId, count);
    if (count < before) this.onChange();
  }

  /** True while model work must wait. */
  modelPaused(now = Date.now()): boolean {
    return now < this.modelPausedUntil;
  }

  /** Pauses model work for `ms` (extending a pause already running). */
  pauseModel(ms: number, now = Date.now()): void {
    const until = now + ms;
    if (until <= this.modelPausedUntil) return;
    this.modelPausedUntil = until;
    clearTimeout(this.wake);
    this.wake = setTimeout(() => this.onChange(), ms + 5);
    this.wake.unref();
  }

  dispose(): void {
    clearTimeout(this.wake);
  }
}
