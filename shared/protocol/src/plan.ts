import { z } from 'zod';
import { SubtaskId, V } from './ids.js';
import { Recipe } from './recipe.js';

/** The kinds of worker agent. */
export const AgentKind = { editor: 'editor', tester: 'tester', shell: 'shell' } as const;
/** A kind of worker agent. */
export type AgentKind = (typeof AgentKind)[keyof typeof AgentKind];
/** Schema of an AgentKind. */
export const AgentKindSchema = z.enum(AgentKind);

/** Per-subtask limits. */
export const SubtaskBudget = z.strictObject({
  maxTurns: z.number().int().positive().max(1000).optional(),
  maxTokens: z.number().int().positive().optional(),
  maxWallMs: z.number().int().positive().optional(),
});
/** Per-subtask limits. */
export type SubtaskBudget = z.infer<typeof SubtaskBudget>;

/** A repository-relative path or glob, never absolute and never climbing out with `..`. */
export const ScopePath = z
  .string()
  .min(1)
  .max(1000)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be repository-relative, not absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ..');

/** What a subtask may read and write. `write` defaults to `paths`. */
export const Scope = z.strictObject({
  paths: z.array(ScopePath).default([]),
  write: z.array(ScopePath).optional(),
});
/** What a subtask may read and write. */
export type Scope = z.infer<typeof Scope>;

/** The edit program of a recipe editor subtask: a recipe applied to an explicit list of files. */
export const EditProgram = z.strictObject({
  recipe: Recipe,
  files: z.array(ScopePath).min(1),
});
/** The edit program of a recipe editor subtask. */
export type EditProgram = z.infer<typeof EditProgram>;

/** A node of a plan: one unit of work for one agent. */
export const Subtask = z.strictObject({
  id: SubtaskId,
  kind: AgentKindSchema,
  title: z.string().min(1).max(200),
  instructions: z.string().max(100_000).default(''),
  scope: Scope.default({ paths: [] }),
  deps: z.array(SubtaskId).default([]),
  budget: SubtaskBudget.default({}),
  /** editor in recipe mode: no model, a deterministic edit program. */
  program: EditProgram.optional(),
  /** shell and tester: the commands to run, in order. */
  commands: z.array(z.string().min(1).max(10_000)).optional(),
  /** Context from earlier work (errors, a recipe's diff) for repair subtasks. */
  context: z.string().max(200_000).optional(),
});
/** A node of a plan. */
export type Subtask = z.infer<typeof Subtask>;

/** A plan: a dependency graph (DAG) of subtasks. */
export const Plan = z.strictObject({
  v: V,
  summary: z.string().max(10_000).default(''),
  subtasks: z.array(Subtask),
});
/** A plan. */
export type Plan = z.infer<typeof Plan>;
