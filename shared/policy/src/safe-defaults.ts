import { normalizeRepoPath } from './path-pattern.js';
import type { SimpleCommand } from './split-command.js';
import type { Verdict } from '@baton/protocol';

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
} as const;

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
  if (name === 'rm')
    return checkRecursiveOutside(
      part,
      args,
      /^-[a-zA-Z]*[rRf]/,
      ['--recursive', '--force'],
      SAFE_DEFAULT_CHECKS.rmOutside,
    );
  if (name === 'chmod' || name === 'chown' || name === 'chgrp') {
    return checkRecursiveOutside(
      part,
      args.slice(1),
      /^-[a-zA-Z]*R/,
      ['--recursive'],
      SAFE_DEFAULT_CHECKS.recursiveModeOutside,
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
  return undefined;
}

function checkRecursiveOutside(
  part: SimpleCommand,
  args: string[],
  shortFlag: RegExp,
  longFlags: string[],
  rule: string,
): StructuralFinding | undefined {
  const opts = args.filter((a) => a.startsWith('-') && a !== '-' && a !== '--');
  if (!opts.some((a) => shortFlag.test(a) || longFlags.includes(a))) return undefined;
  const offset = part.argv.length - args.length;
  const operands = args.flatMap((a, i) =>
    a.startsWith('-') ? [] : [{ a, dynamic: part.dynamicArgs.includes(i + offset) }],
  );
  const outside = operands.find((o) => !o.dynamic && normalizeRepoPath(o.a) === undefined);
  if (outside !== undefined) return { verdict: 'deny', rule, reason: `"${outside.a}" is outside the worktree` };
  const dynamic = operands.find((o) => o.dynamic);
  if (dynamic !== undefined)
    return { verdict: 'ask', rule, reason: `"${dynamic.a}" is only known at run time and may be outside the worktree` };
  return undefined;
}
