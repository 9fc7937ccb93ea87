import { KvConflictError, RunPlans, type Bus, type Kv } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import { RunRecord, resourceNamesFor, type PlanRef, type Run } from '@baton/protocol';
import { RunNotFoundError } from '../errors.js';

interface Known {
  run: Run;
  revision: number;
  planRef: PlanRef | undefined;
}

/**
 * Runs in KV, every change a compare-and-set on the key's revision, so two writers never lose an update. The record
 * holds the run's state and references its plan, stored apart (RunPlans) and written only when it changes: a state
 * change writes the states, not every path of the plan. The store remembers the run it last wrote or read: an
 * update compares against that revision without reading the record back, and re-reads only when someone else wrote.
 */
export class RunStore {
  private readonly known = new Map<string, Known>();

  private constructor(
    private readonly kv: Kv<RunRecord>,
    readonly plans: RunPlans,
    private readonly log: Logger,
  ) {}

  /** Opens (creating idempotently) the runs bucket and the plans bucket of the bus's prefix. */
  static async open(bus: Bus, log: Logger = silentLogger()): Promise<RunStore> {
    const kv = await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, RunRecord, { history: 1 });
    return new RunStore(kv, await RunPlans.open(bus), log);
  }

  /** The underlying bucket of records (watchers use it to follow runs; `plans.assemble` gives a record's Run). */
  get bucket(): Kv<RunRecord> {
    return this.kv;
  }

  /** Records a new run; fails if the id exists. */
  async create(run: Run): Promise<void> {
    const record = await this.recordOf(run, undefined);
    const revision = await this.kv.create(run.id, record);
    this.known.set(run.id, { run, revision, planRef: record.planRef });
  }

  async get(runId: string): Promise<Run | null> {
    return (await this.read(runId))?.run ?? null;
  }

  /** The run as stored: its plan by reference (what `runs.<id>.get` replies: a plan may exceed a message's size). */
  async record(runId: string): Promise<RunRecord | null> {
    return (await this.kv.get(runId))?.value ?? null;
  }

  /** Applies `change` to the current run with compare-and-set, re-reading and retrying on a conflict. */
  async update(runId: string, change: (run: Run) => Run): Promise<Run> {
    const known = this.known.get(runId) ?? (await this.read(runId));
    if (!known) throw new RunNotFoundError(runId);
    return this.write(runId, known.run, change(cloneRun(known.run)), (current) => change(cloneRun(current)));
  }

  /**
   * Writes `next`, a change the caller computed from `base` (the run as this store last wrote or read it), with one
   * compare-and-set. When someone else wrote meanwhile, `redo` computes the change again from the run as now stored,
   * re-reading and retrying on each conflict.
   */
  async write(runId: string, base: Run, next: Run, redo: (current: Run) => Run): Promise<Run> {
    for (let tries = 0; ; tries++) {
      const known = this.known.get(runId) ?? (await this.read(runId));
      if (!known) throw new RunNotFoundError(runId);
      const run = { ...(known.run === base ? next : redo(known.run)), updatedAt: Date.now() };
      const record = await this.recordOf(run, known);
      try {
        const revision = await this.kv.update(runId, record, known.revision);
        this.known.set(runId, { run, revision, planRef: record.planRef });
        return run;
      } catch (err) {
        this.known.delete(runId);
        if (!(err instanceof KvConflictError) || tries >= 50) throw err;
      }
    }
  }

  /** Every run's record as stored (plans by reference, none read), newest first. */
  async records(): Promise<RunRecord[]> {
    const keys = await this.kv.keys();
    const entries = await Promise.all(keys.map((k) => this.kv.get(k)));
    return entries.flatMap((e) => (e ? [e.value] : [])).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Every run that can be read, newest first; one that cannot (its plan gone, say) is logged and left out. */
  async list(): Promise<Run[]> {
    const keys = await this.kv.keys();
    const read = await Promise.allSettled(keys.map((k) => this.get(k)));
    const runs: Run[] = [];
    for (const [i, r] of read.entries()) {
      if (r.status === 'rejected')
        this.log.error({ err: r.reason as unknown, runId: keys[i] }, 'a run cannot be read: left out');
      else if (r.value !== null) runs.push(r.value);
    }
    return runs.sort((a, b) => b.createdAt - a.createdAt);
  }

  private async read(runId: string): Promise<Known | null> {
    const entry = await this.kv.get(runId);
    if (!entry) {
      this.known.delete(runId);
      return null;
    }
    const known = {
      run: await this.plans.assemble(entry.value),
      revision: entry.revision,
      planRef: entry.value.planRef,
    };
    this.known.set(runId, known);
    return known;
  }

  /** The record of `run`: its plan stored first when it is not the one `before` already references. */
  private async recordOf(run: Run, before: Known | undefined): Promise<RunRecord> {
    const { plan, ...record } = run;
    if (plan === undefined) return record;
    const planRef = before?.planRef && before.run.plan === plan ? before.planRef : await this.plans.put(run.id, plan);
    return { ...record, planRef };
  }
}

/**
 * A copy of the run that an `update` change may mutate: it copies only what changes assign to (the run's own fields
 * and each subtask state's fields); everything nested below those is shared, replaced by changes, never mutated.
 */
export function cloneRun(run: Run): Run {
  const subtasks: Run['subtasks'] = {};
  for (const id in run.subtasks) subtasks[id] = { ...run.subtasks[id]! };
  return { ...run, subtasks };
}
