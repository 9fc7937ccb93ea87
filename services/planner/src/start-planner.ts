import { ModelNotConfiguredError, type ModelClient } from '@baton/model';
import { RunPlans, type Bus } from '@baton/bus';
import { silentLogger, withContext, type Logger } from '@baton/log';
import { PlanReply, PlanRequest, SCHEMA_VERSION, type Plan } from '@baton/protocol';
import { InvalidPlanError } from './errors.js';
import { planRecipe } from './plan-recipe.js';
import { planRepair } from './plan-repair.js';
import { planWithModel } from './plan-with-model.js';
import { listRepoFiles } from './repo-files.js';
import { validatePlan } from './validate-plan.js';

/** What the planner service runs with. */
export interface PlannerOptions {
  bus: Bus;
  logger?: Logger;
  /** The model client for task plans (and the sign that repair editors can run); absent: recipes only. */
  model?: ModelClient;
  /** Model calls per task plan. Default 3. */
  maxTries?: number;
  /**
   * Plans larger than this (JSON bytes) are replied by reference to the plans object bucket. Default 256 KiB, and
   * never more than a quarter of the bus's max payload.
   */
  planInlineLimit?: number;
}

/**
 * Plans up to this size travel in the reply. A larger one (a rename over tens of thousands of files lists them all)
 * would not fit in a NATS message (max_payload, 1 MiB by default, was never enough for ~15,000 paths): it is stored
 * in the plans bucket and the reply names it. Well under the limit, as the reply's envelope and the record's other
 * fields add to it.
 */
export const PLAN_INLINE_LIMIT = 256 * 1024;

/** A running planner service. */
export interface Planner {
  /** Stops taking requests; requests in flight finish. */
  stop(): Promise<void>;
}

/** The queue group planners share, so each request is planned once. */
export const PLANNER_QUEUE = 'planners';

/**
 * Serves `plan.request` (queue group `planners`): a repair request -> planRepair, a recipe spec ->
 * planRecipe, a task -> planWithModel. Every plan is validated before it is returned; a throw becomes
 * an error reply (the bus sends the error's name, message and fields).
 */
export function startPlanner(options: PlannerOptions): Planner {
  const { bus, model } = options;
  const logger = options.logger ?? silentLogger();
  const inlineLimit = Math.min(options.planInlineLimit ?? PLAN_INLINE_LIMIT, bus.maxPayload / 4);
  let plans: Promise<RunPlans> | undefined;
  const subscription = bus.serve(
    bus.subjects.planRequest(),
    PlanRequest,
    PlanReply,
    async (request) => {
      const log = withContext(logger, { runId: request.runId });
      let plan: Plan;
      try {
        plan = await planFor(request, model, options.maxTries);
      } catch (err) {
        // reported here with the run's context; the bus turns the rethrow into the error reply
        log.warn({ err }, 'planning failed');
        throw err;
      }
      const bytes = Buffer.byteLength(JSON.stringify(plan));
      log.info(
        {
          subtasks: plan.subtasks.length,
          bytes,
          repair: request.repair !== undefined,
          recipe: request.spec.recipe?.kind,
        },
        'planned',
      );
      if (bytes <= inlineLimit) return { v: SCHEMA_VERSION, plan };
      // Named by the run and the plan's content: the coordinator records this very object, it does not store it again.
      const store = await (plans ??= RunPlans.open(bus).catch((err: unknown) => {
        plans = undefined;
        throw err;
      }));
      return { v: SCHEMA_VERSION, planRef: await store.put(request.runId, plan) };
    },
    { queue: PLANNER_QUEUE },
  );
  return { stop: () => subscription.unsubscribe() };
}

async function planFor(
  request: PlanRequest,
  model: ModelClient | undefined,
  maxTries: number | undefined,
): Promise<Plan> {
  const { spec, repoPath, baseCommit, repair } = request;
  if (repair !== undefined) {
    const plan = await planRepair({ spec, ...repair, repoPath, ...(model === undefined ? {} : { model }) });
    return checked(plan, { maxSubtasks: spec.limits.maxSubtasks });
  }
  if (spec.recipe !== undefined) {
    const files = await listRepoFiles(repoPath, baseCommit);
    const plan = await planRecipe({ spec, repoPath, baseCommit, files });
    return checked(plan, { repoFiles: files.map((f) => f.path), maxSubtasks: spec.limits.maxSubtasks });
  }
  if (model === undefined) throw new ModelNotConfiguredError('a task in words (no --recipe)');
  return (await planWithModel({ spec, repoPath, baseCommit, model, ...(maxTries === undefined ? {} : { maxTries }) }))
    .plan;
}

/** Planner-made plans are validated too: a bug here must surface as an error reply, not as a bad run. */
function checked(plan: Plan, options: Parameters<typeof validatePlan>[1]): Plan {
  const validation = validatePlan(plan, options);
  if (!validation.ok) throw new InvalidPlanError(validation.errors);
  return validation.plan;
}
