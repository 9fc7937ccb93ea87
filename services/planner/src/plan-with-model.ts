import { addUsage, emptyUsage, SCHEMA_VERSION, type Plan, type RunSpec, type Usage } from '@baton/protocol';
import {
  toolResult,
  type ContentBlockParam,
  type MessageParam,
  type ModelClient,
  type ToolUseBlock,
} from '@baton/model';
import { PlanNotSubmittedError, PlanRejectedError } from './errors.js';
import { renderPlannerPrompt } from './planner-prompt.js';
import { readProjectMemory } from './project-memory.js';
import { listRepoFiles } from './repo-files.js';
import { renderRepoMap } from './repo-map.js';
import { readRepoPackages } from './repo-packages.js';
import { SUBMIT_PLAN, submitPlanTool } from './submit-plan-tool.js';
import { validatePlan } from './validate-plan.js';

/** What planWithModel needs. */
export interface PlanWithModelInput {
  spec: RunSpec;
  repoPath: string;
  baseCommit: string;
  model: Pick<ModelClient, 'call'>;
  /** Model calls before giving up with PlanRejectedError. Default 3. */
  maxTries?: number;
  signal?: AbortSignal;
}

/** A plan the model produced and the planner accepted, with what the calls cost. */
export interface ModelPlan {
  plan: Plan;
  usage: Usage;
  /** Model calls it took (1 when the first plan was valid). */
  tries: number;
}

/**
 * Asks the model for a plan through the forced `submit_plan` tool, with a repository map and project
 * memory in the system prompt. Each submission is checked with validatePlan (against the repository's
 * files and `limits.maxSubtasks`); the errors go back as an `is_error` tool result and the model tries
 * again, up to `maxTries` calls.
 * @throws PlanRejectedError with the last errors when every try was invalid.
 */
export async function planWithModel(input: PlanWithModelInput): Promise<ModelPlan> {
  const { spec, repoPath, baseCommit, model, maxTries = 3 } = input;
  const files = await listRepoFiles(repoPath, baseCommit);
  const packages = await readRepoPackages(repoPath, baseCommit, files);
  const system = renderPlannerPrompt({
    repoMap: renderRepoMap(files, packages),
    memory: await readProjectMemory(repoPath, baseCommit, files),
    baseCommit,
    maxSubtasks: spec.limits.maxSubtasks,
    ...(spec.testCommands === undefined ? {} : { testCommands: spec.testCommands }),
  });
  const repoFiles = files.map((f) => f.path);
  const tools = [submitPlanTool()];
  const messages: MessageParam[] = [{ role: 'user', content: `Plan this change:\n\n${spec.task}` }];
  let usage = emptyUsage();
  let errors: string[] = [];

  for (let tries = 1; tries <= maxTries; tries++) {
    const response = await model.call(
      { system, tools, messages, toolChoice: { type: 'tool', name: SUBMIT_PLAN } },
      input.signal === undefined ? {} : { signal: input.signal },
    );
    usage = addUsage(usage, response.usage);
    const calls = response.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    const submitted = calls.findLast((c) => c.name === SUBMIT_PLAN);
    if (submitted === undefined) {
      if (tries === maxTries) throw new PlanNotSubmittedError(response.stopReason);
      messages.push(
        { role: 'assistant', content: response.content },
        { role: 'user', content: `Call the ${SUBMIT_PLAN} tool with the plan.` },
      );
      continue;
    }
    const validation = validatePlan(withVersion(submitted.input), { repoFiles, maxSubtasks: spec.limits.maxSubtasks });
    if (validation.ok) return { plan: validation.plan, usage, tries };

    errors = validation.errors;
    if (response.stopReason === 'max_tokens')
      errors = [
        ...errors,
        'your answer was cut off at the output token limit: submit a smaller plan (fewer, larger subtasks; shorter instructions)',
      ];
    const results: ContentBlockParam[] = calls.map((c) =>
      c === submitted
        ? toolResult(c.id, `The plan was rejected:\n${errors.map((e) => `- ${e}`).join('\n')}`, true)
        : toolResult(c.id, 'ignored: only the last submit_plan call counts', true),
    );
    messages.push(
      { role: 'assistant', content: response.content },
      {
        role: 'user',
        content: [
          ...results,
          { type: 'text', text: `Fix every error above and call ${SUBMIT_PLAN} again with the whole corrected plan.` },
        ],
      },
    );
  }
  throw new PlanRejectedError(errors, maxTries);
}

/** The tool input plus the schema version (the model never writes `v`). */
function withVersion(input: unknown): unknown {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, v: SCHEMA_VERSION } : input;
}
