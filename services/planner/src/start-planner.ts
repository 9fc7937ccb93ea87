import { ModelNotConfiguredError, type ModelClient } from '@baton/model';
import { RunPlans } from '@baton/bus';
import { withContext } from '@baton/log';
import { PlanReply, PlanRequest, SCHEMA_VERSION, type Plan } from '@baton/protocol';
import { compilePlannerOptions, type PlannerOptions } from './compile-planner-options.js';
import { InvalidPlanError } from './errors.js';
import { planRecipe } from './plan-recipe.js';
import { planRepair } from './plan-repair.js';
import { planWithModel } from './plan-with-model.js';
import { listRepoFiles } from './repo-files.js';
import { validatePlan } from './validate-plan.js';

/** A running planner service. */
export interface Planner {
  /** Stops taking requests; requests in flight finish. */
  stop(): Promise<void>;
}

/** The queue group planners share, so each request is planned once. */
const PLANNER_QUEUE = 'planners';

/**
 * Serves `plan.request` (queue group `planners`): a repair request -> planRepair, a recipe spec ->
 * planRecipe, a task -> planWithModel. Every plan is validated before it is returned; a throw becomes
 * an error reply (the bus sends the error's name, message and fields).
 */
export function startPlanner(raw: PlannerOptions): Planner {
  const { bus, model, logger, maxTries, planInlineLimit: inlineLimit } = compilePlannerOptions(raw);
  let plans: Promise<RunPlans> | undefined;
  const subscription = bus.serve(
    bus.subjects.planRequest(),
    PlanRequest,
    PlanReply,
    async (request) => {
      const log = withContext(logger, { runId: request.runId });
      let plan: Plan;
      try {
        plan = await planFor(request, model, maxTries);
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

async function planFor(request: PlanRequest, model: ModelClient | undefined, maxTries: number): Promise<Plan> {
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
  return (await planWithModel({ spec, repoPath, baseCommit, model, maxTries })).plan;
}

/** Planner-made plans are validated too: a bug here must surface as an error reply, not as a bad run. */
function checked(plan: Plan, options: Parameters<typeof validatePlan>[1]): Plan {
  const validation = validatePlan(plan, options);
  if (!validation.ok) throw new InvalidPlanError(validation.errors);
  return validation.plan;
}
