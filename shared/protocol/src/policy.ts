import { z } from 'zod';

/** What a permission rule or a policy decides. */
export const Verdict = { allow: 'allow', ask: 'ask', deny: 'deny' } as const;
/** What a permission rule or a policy decides. */
export type Verdict = (typeof Verdict)[keyof typeof Verdict];
/** Schema of a Verdict. */
export const VerdictSchema = z.enum(['allow', 'ask', 'deny']);

/** Permission modes: `plan` (read-only), `default` (ask for edits and commands), `acceptEdits` (edits in scope allowed). */
export const PermissionMode = { plan: 'plan', default: 'default', acceptEdits: 'acceptEdits' } as const;
/** Permission mode. */
export type PermissionMode = (typeof PermissionMode)[keyof typeof PermissionMode];
/** Schema of a PermissionMode. */
export const PermissionModeSchema = z.enum(['plan', 'default', 'acceptEdits']);

/**
 * A rule in Claude Code's syntax: `Tool` or `Tool(specifier)`, e.g. `Bash(npm test:*)`, `Edit(src/**)`.
 * @example "Bash(git push:*)"
 */
export const PermissionRule = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Z][A-Za-z]*(?:\(.*\))?$/s, 'must look like Tool or Tool(specifier), e.g. Bash(npm test:*)');

/** The policy a run uses, as configured (`.baton/settings.json` `permissions`, user config, RunSpec). */
export const PolicyConfig = z.strictObject({
  mode: PermissionModeSchema.default('default'),
  allow: z.array(PermissionRule).default([]),
  ask: z.array(PermissionRule).default([]),
  deny: z.array(PermissionRule).default([]),
  /** How long an `ask` waits for a human before it is denied. */
  askTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
});
/** The policy a run uses. */
export type PolicyConfig = z.infer<typeof PolicyConfig>;
