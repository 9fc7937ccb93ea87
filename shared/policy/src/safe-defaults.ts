import { isLongOption } from './long-option.js';
import { normalizeRepoPath } from './path-pattern.js';
import type { SimpleCommand } from './split-command.js';
import type { Verdict } from '@baton/protocol';
import { gitFindings } from './git-hazards.js';
import { readGit } from './git-invocation.js';

/**
 * Deny rules added when defaults are on. `git rebase` is denied too: a worker's diff is taken against its
 * subtask's base commit and only the coordinator rewrites or merges history, so a rebase in a worktree can only
 * lose or misattribute work. `Edit(.git/**)` also covers Write and shell commands that write there.
 */
export const SAFE_DEFAULTS: readonly string[] = [
  'Bash(git push --force:*)',
  'Bash(git push -f:*)',
  'Bash(git push --force-with-lease:*)',
  'Bash(git push --force-if-includes:*)',
  'Bash(git reset --hard:*)',
  'Bash(git clean -f:*)',
  'Bash(git clean --force:*)',
  'Bash(git filter-branch:*)',
  'Bash(git filter-repo:*)',
  'Bash(git rebase:*)',
  'Bash(git commit --amend:*)',
  'Bash(rm -rf /:*)',
  'Bash(sudo:*)',
  'Bash(doas:*)',
  'Bash(mkfs:*)',
  'Bash(chmod -R 777 /:*)',
  'Edit(.git/**)',
];

/** Names of the default checks no glob can express, used as the `rule` of the decisions they make. */
export const SAFE_DEFAULT_CHECKS = {
  rmOutside: 'default: rm -r/-f of a path outside the worktree',
  pipeToShell: 'default: script piped into a shell interpreter',
  mkfs: 'default: mkfs',
  ddDevice: 'default: dd of=/dev/*',
  recursiveModeOutside: 'default: chmod/chown -R outside the worktree',
  forcePushRefspec: 'default: git push +refspec',
  gitForcePush: 'default: git push that overwrites the remote history',
  gitHistoryRewrite: 'default: git command that rewrites history',
  gitConfigWrite: "default: git command that changes the repository's configuration",
  pipeToInterpreter: 'default: script piped into an interpreter',
} as const;

/** Interpreters that run a program read from stdin when given no script (`curl ... | python3`). */
const INTERPRETERS =
  /^(?:python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|Rscript|tclsh|osascript|pwsh|deno|bun)$/;

/** A structural default's finding on a part. */
export interface StructuralFinding {
  verdict: Exclude<Verdict, 'allow'>;
  rule: string;
  reason: string;
}

/** Runs the structural default checks on one part; undefined when none applies. */
export function checkStructuralDefaults(part: SimpleCommand): StructuralFinding | undefined {
  const [name = '', ...args] = part.argv;
  if (part.pipedScript === true) {
    return {
      verdict: 'deny',
      rule: SAFE_DEFAULT_CHECKS.pipeToShell,
      reason: `"${name}" would run a script piped into it (e.g. curl ... | sh)`,
    };
  }
  if (
    part.stdinPipe &&
    INTERPRETERS.test(name) &&
    args.filter((a) => !a.startsWith('-') || a === '-').every((a) => a === '-')
  ) {
    return {
      verdict: 'deny',
      rule: SAFE_DEFAULT_CHECKS.pipeToInterpreter,
      reason: `"${name}" would run a program piped into it`,
    };
  }
  if (name === 'rm')
    return checkRecursiveOutside(
      part,
      args,
      /^-[a-zA-Z]*[rRf]/,
      ['--recursive', '--force'],
      SAFE_DEFAULT_CHECKS.rmOutside,
    );
  if (name === 'chmod' || name === 'chown' || name === 'chgrp') {
    // Every argument counts: the mode or owner is the first operand, not the first argument (`chmod -R 777 /`).
    return checkRecursiveOutside(
      part,
      args,
      /^-[a-zA-Z]*R/,
      ['--recursive'],
      SAFE_DEFAULT_CHECKS.recursiveModeOutside,
      1,
    );
  }
  if (name.startsWith('mkfs'))
    return { verdict: 'deny', rule: SAFE_DEFAULT_CHECKS.mkfs, reason: 'formats a file system' };
  if (name === 'dd' && args.some((a) => a.startsWith('of=/dev/') && a !== 'of=/dev/null')) {
    return { verdict: 'deny', rule: SAFE_DEFAULT_CHECKS.ddDevice, reason: 'writes raw data to a device' };
  }
  if (name === 'git' && args[0] === 'push' && args.slice(1).some((a) => a.startsWith('+'))) {
    return { verdict: 'deny', rule: SAFE_DEFAULT_CHECKS.forcePushRefspec, reason: 'a +refspec force-pushes' };
  }
  if (name === 'git') {
    const findings = gitFindings(readGit(part.argv)).filter(
      (f) => f.kind !== 'runs-program' && f.kind !== 'other-repository',
    );
    const found = findings.find((f) => f.verdict === 'deny') ?? findings[0];
    if (found !== undefined) {
      const rule =
        found.kind === 'force-push'
          ? SAFE_DEFAULT_CHECKS.gitForcePush
          : found.kind === 'history-rewrite'
            ? SAFE_DEFAULT_CHECKS.gitHistoryRewrite
            : SAFE_DEFAULT_CHECKS.gitConfigWrite;
      return { verdict: found.verdict, rule, reason: found.reason };
    }
  }
  return undefined;
}

function checkRecursiveOutside(
  part: SimpleCommand,
  args: string[],
  shortFlag: RegExp,
  longFlags: string[],
  rule: string,
  skipOperands = 0,
): StructuralFinding | undefined {
  const opts = args.filter((a) => a.startsWith('-') && a !== '-' && a !== '--');
  if (!opts.some((a) => shortFlag.test(a) || longFlags.some((l) => a === l || isLongOption(a, l.slice(2), 5))))
    return undefined;
  const offset = part.argv.length - args.length;
  const reference = args.some((a) => a.startsWith('--reference'));
  const operands = args
    .flatMap((a, i) => (a.startsWith('-') && a !== '-' ? [] : [{ a, dynamic: part.dynamicArgs.includes(i + offset) }]))
    .slice(reference ? 0 : skipOperands);
  // A glob or variable that starts outside (`/*`, `~/x`, `../*`) stays outside whatever it expands to.
  const outside = operands.find(
    (o) => (!o.dynamic || /^(?:\/|~|\.\.(?:\/|$))/.test(o.a)) && normalizeRepoPath(o.a) === undefined,
  );
  if (outside !== undefined) return { verdict: 'deny', rule, reason: `"${outside.a}" is outside the worktree` };
  if (part.inputArgs === true)
    return { verdict: 'ask', rule, reason: 'its operands come from input, so they may be outside the worktree' };
  const dynamic = operands.find((o) => o.dynamic);
  if (dynamic !== undefined)
    return { verdict: 'ask', rule, reason: `"${dynamic.a}" is only known at run time and may be outside the worktree` };
  return undefined;
}
