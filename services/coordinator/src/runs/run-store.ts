import { KvConflictError, type Bus, type Kv } from '@baton/bus';
import { Run, resourceNamesFor } from '@baton/protocol';
import { RunNotFoundError } from '../errors.js';

/** Runs in KV, every change a compare-and-set on the key's revision, so two writers never lose an update. */
export class RunStore {
  private constructor(private readonly kv: Kv<Run>) {}

  /** Opens (creating idempotently) the runs bucket of the bus's prefix. */
  static async open(bus: Bus): Promise<RunStore> {
    return new RunStore(await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, Run, { history: 1 }));
  }

  /** The underlying bucket (watchers use it to follow runs). */
  get bucket(): Kv<Run> {
    return this.kv;
  }

  /** Records a new run; fails if the id exists. */
  async create(run: Run): Promise<void> {
    await this.kv.create(run.id, run);
  }

  async get(runId: string): Promise<Run | null> {
    return (await this.kv.get(runId))?.value ?? null;
  }

  /** Applies `change` to the current record with compare-and-set, re-reading and retrying on a conflict. */
  async update(runId: string, change: (run: Run) => Run): Promise<Run> {
    for (let tries = 0; ; tries++) {
      const entry = await this.kv.get(runId);
      if (!entry) throw new RunNotFoundError(runId);
      const next = { ...change(structuredClone(entry.value)), updatedAt: Date.now() };
      try {
        await this.kv.update(runId, next, entry.revision);
        return next;
      } catch (err) {
        if (!(err instanceof KvConflictError) || tries >= 50) throw err;
      }
    }
  }

  async list(): Promise<Run[]> {
    const keys = await this.kv.keys();
    const runs = await Promise.all(keys.map((k) => this.get(k)));
    return runs.filter((r): r is Run => r !== null).sort((a, b) => b.createdAt - a.createdAt);
  }
}
