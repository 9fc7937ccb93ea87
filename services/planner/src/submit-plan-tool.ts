import { z } from 'zod';
import { Plan, Subtask } from '@baton/protocol';
import type { ToolSpec } from '@baton/model';

/** The name of the one tool the model planner offers. */
export const SUBMIT_PLAN = 'submit_plan';

/** What the model fills in: a Plan without `v`, and without the recipe-only fields (`program`, `context`). */
const ModelPlan = Plan.omit({ v: true }).extend({ subtasks: z.array(Subtask.omit({ program: true, context: true })) });

/** The `submit_plan` tool: its input schema is the JSON Schema of the Plan the model may submit. */
export function submitPlanTool(): ToolSpec {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(ModelPlan, { io: 'input' });
  return {
    name: SUBMIT_PLAN,
    description:
      'Submit the plan: a DAG of subtasks. Called exactly once per answer; if the plan is invalid the result lists every error, and you call it again with the whole corrected plan.',
    input_schema: { ...schema, type: 'object' },
  };
}
