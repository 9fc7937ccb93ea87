import { KvConflictError, type Bus, type Kv } from '@baton/bus';
import { resourceNamesFor } from '@baton/protocol';
import { LedgerMismatchError } from './errors.js';
import { LedgerEntry } from './ledger-entry.js';

/**
 * The KV record of which subtasks are merged, written only by compare-and-set (`create`), so a
 * subtask is recorded at most once and a second writer learns what the first one recorded.
 */
export class MergeLedger {
  constructor(readonly kv: Kv<LedgerEntry>) {}

  /** Opens (creating if needed) the ledger bucket, by default `<prefix>-ledger`. */
  static async open(bus: Pick<Bus, 'kv'>, bucket: string = resourceNamesFor().ledgerBucket): Promise<MergeLedger> {
    return new MergeLedger(await bus.kv(bucket, LedgerEntry));
  }

  /** The KV key of a subtask's entry. */
  static key(runId: string, subtaskId: string): string {
    return `${runId}.${subtaskId}`;
  }

  /** The entry of a subtask, or null when it is not recorded as merged. */
  async get(runId: string, subtaskId: string): Promise<LedgerEntry | null> {
    const entry = await this.kv.get(MergeLedger.key(runId, subtaskId));
    return entry === null ? null : entry.value;
  }

  /**
   * Records a merge unless one is already recorded; returns the entry that stands and whether it
   * was this call that wrote it. A recorded entry naming a different commit is LedgerMismatchError.
   */
  async record(entry: LedgerEntry): Promise<{ entry: LedgerEntry; written: boolean }> {
    const key = MergeLedger.key(entry.runId, entry.subtaskId);
    const value = LedgerEntry.parse(entry);
    // Bounded: a retry is needed only when someone deletes the key between our create and get.
    for (let tries = 0; ; tries++) {
      try {
        await this.kv.create(key, value);
        return { entry: value, written: true };
      } catch (error) {
        if (!(error instanceof KvConflictError) || tries >= 2) throw error;
      }
      const existing = await this.kv.get(key);
      if (existing === null) continue;
      if (existing.value.commit !== value.commit)
        throw new LedgerMismatchError(key, existing.value.commit, value.commit);
      return { entry: existing.value, written: false };
    }
  }

  /** Every recorded entry of a run, sorted by subtask id. */
  async entries(runId: string): Promise<LedgerEntry[]> {
    const keys = await this.kv.keys(`${runId}.*`);
    const entries: LedgerEntry[] = [];
    for (const key of keys) {
      const entry = await this.kv.get(key);
      if (entry !== null) entries.push(entry.value);
    }
    return entries.sort((a, b) => (a.subtaskId < b.subtaskId ? -1 : a.subtaskId > b.subtaskId ? 1 : 0));
  }
}
