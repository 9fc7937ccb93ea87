import type { CompiledPolicy } from './compile-policy.js';
import { ruleCoversFileTool } from './compile-policy.js';
import type { Decision } from './decision.js';
import { globMayMatch } from './glob-overlap.js';
import { parseRule } from './parse-rule.js';
import { normalizeRepoPath } from './path-pattern.js';
import { protectedPath } from './protected-paths.js';

/**
 * Judges Edit/Write/Read of a repository-relative path.
 *
 * Edits inside the subtask's scope are allowed in `default` and `acceptEdits` without asking: the worker edits a
 * scratch worktree, and nothing reaches the user's branches until the coordinator reviews and merges the diff.
 * Edits outside the scope ask in `default` (the planner did not expect them) and are allowed in `acceptEdits`.
 * Deny and ask rules always win, and `plan` mode denies every write. Paths leaving the worktree are denied.
 */
export function evaluateFile(
  policy: CompiledPolicy,
  tool: 'Edit' | 'Write' | 'Read',
  path: string,
  inScope: boolean,
): Decision {
  const p = normalizeRepoPath(path);
  if (p === undefined) return { verdict: 'deny', reason: `${tool} of "${path}": the path is outside the worktree` };
  const rule = (verdict: 'allow' | 'ask' | 'deny') =>
    policy.rules.find((r) => r.verdict === verdict && ruleCoversFileTool(r.tool, tool) && r.matchPath(p));
  const denied = rule('deny');
  if (denied) return { verdict: 'deny', rule: denied.text, reason: `${tool} of "${p}" is denied by ${denied.text}` };
  const guarded = tool === 'Read' ? undefined : protectedPath(p);
  if (guarded?.verdict === 'deny') return { verdict: 'deny', reason: `${tool} of ${guarded.reason}` };
  if (tool !== 'Read' && policy.mode === 'plan')
    return { verdict: 'deny', reason: `${tool} of "${p}": the run is in plan mode, which makes no changes` };
  const asked = rule('ask');
  if (asked) return { verdict: 'ask', rule: asked.text, reason: `${tool} of "${p}" needs approval by ${asked.text}` };
  if (guarded !== undefined) return { verdict: 'ask', reason: `${tool} of ${guarded.reason}` };
  const allowed = rule('allow');
  if (allowed)
    return { verdict: 'allow', rule: allowed.text, reason: `${tool} of "${p}" is allowed by ${allowed.text}` };
  if (tool === 'Read') return { verdict: 'allow', reason: `reading "${p}" inside the worktree` };
  if (inScope)
    return {
      verdict: 'allow',
      reason: `${tool} of "${p}" is inside the subtask's scope (a scratch worktree, merged only by the coordinator)`,
    };
  if (policy.mode === 'acceptEdits')
    return {
      verdict: 'allow',
      reason: `${tool} of "${p}" is outside the subtask's scope; allowed in acceptEdits mode`,
    };
  return { verdict: 'ask', reason: `${tool} of "${p}" is outside the subtask's scope` };
}

/**
 * Judges a file a shell command writes (redirection or a command like `sed -i`): deny and ask rules for
 * Write/Edit and plan mode apply; scope does not, since the command itself is judged by the Bash rules.
 */
export function evaluateShellWrite(
  policy: CompiledPolicy,
  path: string,
  dynamic: boolean,
  cwdMoved: boolean,
): Decision | undefined {
  if (dynamic)
    return {
      verdict: policy.mode === 'plan' ? 'deny' : 'ask',
      reason: `writes to "${path}", a path only known at run time`,
    };
  const p = normalizeRepoPath(path);
  if (p === undefined)
    return { verdict: policy.mode === 'plan' ? 'deny' : 'ask', reason: `writes to "${path}", outside the worktree` };
  const denied = policy.rules.find(
    (r) => r.verdict === 'deny' && ruleCoversFileTool(r.tool, 'Write') && r.matchPath(p),
  );
  if (denied) return { verdict: 'deny', rule: denied.text, reason: `writes to "${p}", denied by ${denied.text}` };
  const guarded = protectedPath(p);
  if (guarded?.verdict === 'deny') return { verdict: 'deny', reason: `writes to ${guarded.reason}` };
  if (policy.mode === 'plan')
    return { verdict: 'deny', reason: `writes to "${p}": the run is in plan mode, which makes no changes` };
  const asked = policy.rules.find((r) => r.verdict === 'ask' && ruleCoversFileTool(r.tool, 'Write') && r.matchPath(p));
  if (asked)
    return { verdict: 'ask', rule: asked.text, reason: `writes to "${p}", which needs approval by ${asked.text}` };
  if (guarded !== undefined) return { verdict: 'ask', reason: `writes to ${guarded.reason}` };
  // After a `cd` the relative path may point anywhere, so protected-path rules cannot vouch for it.
  if (cwdMoved)
    return { verdict: 'ask', reason: `writes to "${p}" after a cd, so its location is not known statically` };
  return undefined;
}

const READ_DEVICES = /^\/dev\/(?:null|stdin|zero|fd\/\d+)$|^-$/;

/**
 * Judges a file a shell command reads (`cat`, `grep`, `git show REV:path`, `< file`): Read deny and ask rules apply
 * as to the editor; a path outside the worktree, or one only known at run time when Read rules exist, is asked about.
 */
export function evaluateShellRead(
  policy: CompiledPolicy,
  path: string,
  dynamic: boolean,
  cwdMoved: boolean,
): Decision | undefined {
  if (READ_DEVICES.test(path)) return undefined;
  const readRules = policy.rules.filter((r) => r.verdict !== 'allow' && r.tool === 'Read');
  if (dynamic) {
    // A variable, `~` or `..` may lead anywhere; a glob (`src/*.ts`) only where its literal part and pattern say.
    const variable = /[$`~]/.test(path);
    const anywhere = /(?:^|\/)\.\.(?:\/|$)|^\/|^[$`~]|^"?\$(?:HOME|\{HOME)/.test(path);
    const mayHitRule = readRules.some((r) => {
      const spec = parseRule(r.text).specifier;
      return spec === undefined || variable || globMayMatch(path, spec);
    });
    if (anywhere || mayHitRule) return { verdict: 'ask', reason: `reads "${path}", a path only known at run time` };
    return undefined;
  }
  const p = normalizeRepoPath(path);
  if (p === undefined) return { verdict: 'ask', reason: `reads "${path}", outside the worktree` };
  const rule = (verdict: 'deny' | 'ask') =>
    policy.rules.find((r) => r.verdict === verdict && r.tool === 'Read' && r.matchPath(p));
  const denied = rule('deny');
  if (denied) return { verdict: 'deny', rule: denied.text, reason: `reads "${p}", denied by ${denied.text}` };
  const asked = rule('ask');
  if (asked) return { verdict: 'ask', rule: asked.text, reason: `reads "${p}", which needs approval by ${asked.text}` };
  if (cwdMoved && readRules.length > 0)
    return { verdict: 'ask', reason: `reads "${p}" after a cd, so Read rules cannot place it` };
  return undefined;
}
