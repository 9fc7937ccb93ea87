import type { CompiledPolicy } from './compile-policy.js';
import type { Decision, PartDecision } from './decision.js';
import { strictest } from './decision.js';
import { evaluateShellRead, evaluateShellWrite } from './evaluate-file.js';
import { gitFindings } from './git-hazards.js';
import { readGit } from './git-invocation.js';
import { programOption } from './program-options.js';
import { readTargets } from './read-targets.js';
import { riskyAssignment } from './risky-assignments.js';
import { isReadOnlyCommand } from './read-only-commands.js';
import { checkStructuralDefaults } from './safe-defaults.js';
import { splitCommand } from './split-command.js';
import type { SimpleCommand } from './split-command.js';
import { writeTargets } from './write-targets.js';

const CD = new Set(['cd', 'pushd', 'popd']);

/** Judges a command line part by part; the command's verdict is its worst part's (deny > ask > allow). */
export async function evaluateBash(policy: CompiledPolicy, command: string): Promise<Decision> {
  const split = await splitCommand(command, { maxParts: policy.maxParts });
  const parts = split.ok ? split.parts : (split.parts ?? []);
  const cwdMoved = parts.some((p) => CD.has(p.argv[0] ?? ''));
  const decisions = parts.map((p) => evaluatePart(policy, p, cwdMoved));
  const worst = strictest(decisions);
  if (!split.ok) {
    if (worst?.verdict === 'deny') return summary(worst, decisions);
    const verdict = policy.mode === 'plan' ? 'deny' : 'ask';
    return {
      verdict,
      reason: `the command cannot be checked part by part (${split.reason})${verdict === 'deny' ? ' and the run is in plan mode' : ''}`,
      parts: decisions,
    };
  }
  if (worst === undefined) return { verdict: 'allow', reason: 'empty command', parts: [] };
  if (worst.verdict === 'allow')
    return {
      verdict: 'allow',
      reason: decisions.length === 1 ? worst.reason : `all ${decisions.length} parts are allowed`,
      parts: decisions,
    };
  return summary(worst, decisions);
}

function summary(worst: PartDecision, parts: PartDecision[]): Decision {
  const d: Decision = {
    verdict: worst.verdict,
    reason: parts.length === 1 ? worst.reason : `part "${worst.text}": ${worst.reason}`,
    parts,
  };
  if (worst.rule !== undefined) d.rule = worst.rule;
  return d;
}

function evaluatePart(policy: CompiledPolicy, part: SimpleCommand, cwdMoved: boolean): PartDecision {
  const found: Omit<PartDecision, 'text'>[] = [];
  const rule = (verdict: 'allow' | 'ask' | 'deny') =>
    policy.rules.find(
      (r) =>
        r.verdict === verdict && r.tool === 'Bash' && r.matchBash(part, verdict === 'allow' ? 'strict' : 'lenient'),
    );
  const denied = rule('deny');
  if (denied) found.push({ verdict: 'deny', rule: denied.text, reason: `denied by ${denied.text}` });
  if (policy.defaults) {
    const s = checkStructuralDefaults(part);
    if (s) found.push(s);
  }
  for (const w of writeTargets(part)) {
    const d = evaluateShellWrite(policy, w.path, w.dynamic, cwdMoved && !w.path.startsWith('/'));
    if (d) found.push(d);
  }
  for (const r of readTargets(part)) {
    const d = evaluateShellRead(policy, r.path, r.dynamic, cwdMoved && !r.path.startsWith('/'));
    if (d) found.push(d);
  }
  // What runs or what it loads is decided by the arguments, not the command's name: no allow rule vouches for it.
  const program = programOption(part);
  if (program !== undefined) found.push({ verdict: 'ask', reason: `${program}, so it cannot be checked` });
  if (part.argv[0] === 'git')
    for (const g of gitFindings(readGit(part.argv)))
      if (g.kind === 'runs-program' || g.kind === 'other-repository')
        found.push({ verdict: g.verdict, reason: g.reason });
  const variable = riskyAssignment(part);
  if (variable !== undefined)
    found.push({ verdict: 'ask', reason: `it sets ${variable}, which changes what runs or what it loads` });
  const readOnly = isReadOnlyCommand(part) || part.wrapper !== undefined;
  if (policy.mode === 'plan' && !readOnly)
    found.push({ verdict: 'deny', reason: 'the run is in plan mode: only read-only commands may run' });
  const asked = rule('ask');
  if (asked) found.push({ verdict: 'ask', rule: asked.text, reason: `needs approval by ${asked.text}` });
  if (part.opaque !== undefined) found.push({ verdict: 'ask', reason: `${part.opaque}, so it cannot be checked` });
  if (
    CD.has(part.argv[0] ?? '') &&
    part.argv
      .slice(1)
      .some((a, i) => part.dynamicArgs.includes(i + 1) || a.startsWith('/') || a.startsWith('..') || a.startsWith('~'))
  ) {
    found.push({ verdict: 'ask', reason: 'changes to a directory that may be outside the worktree' });
  }
  const allowed = rule('allow');
  if (allowed) found.push({ verdict: 'allow', rule: allowed.text, reason: `allowed by ${allowed.text}` });
  else if (part.argv.length === 0)
    found.push({ verdict: 'allow', reason: 'no command runs, only redirections or assignments' });
  else if (part.wrapper !== undefined)
    found.push({ verdict: 'allow', reason: `${part.wrapper} only runs commands that are checked as their own parts` });
  else if (readOnly) found.push({ verdict: 'allow', reason: `"${part.argv[0] ?? ''}" only reads` });
  else found.push({ verdict: 'ask', reason: `no rule allows "${part.text}"` });
  const worst = strictest(found) ?? { verdict: 'ask' as const, reason: 'no decision' };
  return { text: part.text, ...worst };
}
