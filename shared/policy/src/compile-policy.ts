import { PolicyConfig } from '@baton/protocol';
import type { PermissionMode, Verdict } from '@baton/protocol';
import type { z } from 'zod';
import { compileBashPattern } from './bash-pattern.js';
import type { MatchMode } from './bash-pattern.js';
import { RuleSyntaxError } from './errors.js';
import { parseRule } from './parse-rule.js';
import { compilePathPattern } from './path-pattern.js';
import { SAFE_DEFAULTS } from './safe-defaults.js';
import type { SimpleCommand } from './split-command.js';

/** A rule ready to match: its text, verdict, and a matcher for its tool. */
export interface CompiledRule {
  text: string;
  verdict: Verdict;
  tool: string;
  /** True for rules added by `SAFE_DEFAULTS`. */
  isDefault: boolean;
  matchBash: (part: SimpleCommand, mode: MatchMode) => boolean;
  matchPath: (repoPath: string) => boolean;
}

/** A policy compiled once from its config: rules parsed, globs compiled, defaults added. */
export interface CompiledPolicy {
  readonly mode: PermissionMode;
  readonly askTimeoutMs: number;
  readonly rules: readonly CompiledRule[];
  /** Whether `SAFE_DEFAULTS` and the structural default checks apply. */
  readonly defaults: boolean;
  /** Commands with more parts than this are never allowed without a human. */
  readonly maxParts: number;
}

/** Options of `compilePolicy`. */
export interface CompilePolicyOptions {
  /** Add `SAFE_DEFAULTS` and the structural checks (default true). */
  defaults?: boolean;
  /** Part cap for compound commands (default 64). */
  maxParts?: number;
}

/**
 * Compiles a policy config (raw or parsed) once; throws `RuleSyntaxError` naming the malformed rule.
 * @example const policy = compilePolicy({ allow: ['Bash(npm test:*)'], deny: ['Edit(secrets/**)'] });
 */
export function compilePolicy(
  config: z.input<typeof PolicyConfig>,
  options: CompilePolicyOptions = {},
): CompiledPolicy {
  const cfg = PolicyConfig.parse(config);
  const defaults = options.defaults ?? true;
  const rules: CompiledRule[] = [];
  const add = (text: string, verdict: Verdict, isDefault: boolean, where: string): void => {
    try {
      rules.push(compileRule(text, verdict, isDefault));
    } catch (err) {
      if (err instanceof RuleSyntaxError) throw new RuleSyntaxError(text, `${err.problem} (${where})`, { cause: err });
      throw err;
    }
  };
  cfg.deny.forEach((t, i) => add(t, 'deny', false, `deny[${i}]`));
  if (defaults) SAFE_DEFAULTS.forEach((t, i) => add(t, 'deny', true, `SAFE_DEFAULTS[${i}]`));
  cfg.ask.forEach((t, i) => add(t, 'ask', false, `ask[${i}]`));
  cfg.allow.forEach((t, i) => add(t, 'allow', false, `allow[${i}]`));
  return { mode: cfg.mode, askTimeoutMs: cfg.askTimeoutMs, rules, defaults, maxParts: options.maxParts ?? 64 };
}

function compileRule(text: string, verdict: Verdict, isDefault: boolean): CompiledRule {
  const { tool, specifier } = parseRule(text);
  const never = (): boolean => false;
  return {
    text,
    verdict,
    tool,
    isDefault,
    matchBash: tool === 'Bash' ? compileBashPattern(text, specifier) : never,
    matchPath:
      tool === 'Edit' || tool === 'Write' || tool === 'Read'
        ? specifier === undefined
          ? () => true
          : compilePathPattern(specifier, { nocase: verdict !== 'allow' })
        : never,
  };
}

/** Whether a rule for `ruleTool` governs a file action of `actionTool` (Edit rules also cover Write). */
export function ruleCoversFileTool(ruleTool: string, actionTool: 'Edit' | 'Write' | 'Read'): boolean {
  return ruleTool === actionTool || (ruleTool === 'Edit' && actionTool === 'Write');
}
