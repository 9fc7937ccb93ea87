import { createHash } from 'node:crypto';
import { PlanMissingError } from './errors.js';
import type { Bus, ObjectStore } from './types.js';
import { Plan, resourceNamesFor, type PlanRef, type Run, type RunRecord } from '@baton/protocol';

const CACHED_PLANS = 64;

/**
 * Runs' plans in the plans object bucket, apart from their records (see RunRecord), and the planner's replies too
 * large for a message (see PlanReply). An object is named by the run
 * and the plan's SHA-256, so writing a plan twice (a retried write, two coordinators) stores it once, and a name
 * never changes content: readers cache plans by name.
 */
export class RunPlans {
  private readonly cache = new Map<string, Promise<Plan>>();
  /** Objects known to be in the store (this process put them, or read them whole). */
  private readonly stored = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  /** Opens (creating idempotently) the plans bucket of the bus's prefix. */
  static async open(bus: Bus): Promise<RunPlans> {
    return new RunPlans(await bus.objectStore(resourceNamesFor(bus.subjects.prefix).plansBucket));
  }

  /** Stores a run's plan (unless that very plan is stored) and returns its reference. */
  async put(runId: string, plan: Plan): Promise<PlanRef> {
    const bytes = Buffer.from(JSON.stringify(plan));
    const object = `${runId}.plan.${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
    if (!this.stored.has(object) && !(await this.store.info(object)))
      await this.store.put(object, new Uint8Array(bytes));
    this.stored.add(object);
    this.remember(object, Promise.resolve(plan));
    return { object, subtasks: plan.subtasks.length };
  }

  /** The plan a record references (validated when read from the store). */
  get(ref: PlanRef): Promise<Plan> {
    let plan = this.cache.get(ref.object);
    if (!plan) {
      const reading = this.store.getBytes(ref.object).then((bytes) => {
        if (!bytes) throw new PlanMissingError(this.store.bucket, ref.object);
        const read = Plan.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
        this.stored.add(ref.object);
        return read;
      });
      reading.catch(() => {
        if (this.cache.get(ref.object) === reading) this.cache.delete(ref.object);
      });
      plan = reading;
    }
    this.remember(ref.object, plan);
    return plan;
  }

  /** The Run a record describes: the record with its plan put back (inline in records of earlier versions). */
  async assemble(record: RunRecord): Promise<Run> {
    const { planRef, ...rest } = record;
    return planRef ? { ...rest, plan: await this.get(planRef) } : rest;
  }

  private remember(object: string, plan: Promise<Plan>): void {
    this.cache.delete(object);
    this.cache.set(object, plan);
    if (this.cache.size > CACHED_PLANS) this.cache.delete(this.cache.keys().next().value!);
  }
}
