import type { Verdict } from '@baton/protocol';

/** A protected path's verdict and why. */
export interface ProtectedFinding {
  verdict: Exclude<Verdict, 'allow'>;
  reason: string;
}

/**
 * Whether one path segment names `.git`, also as case-insensitive disks and Windows read it (`.GIT`, `.git.`,
 * `.git::$INDEX_ALLOCATION`, the 8.3 name `GIT~1`).
 */
function isGitSegment(segment: string): boolean {
  const s = segment.toLowerCase().replace(/[. ]+$/, '');
  return s === '.git' || s.startsWith('.git::') || s === 'git~1';
}

const SETTINGS_FILES = new Set(['.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs', '.bunfig.toml', 'bunfig.toml']);

/**
 * The built-in protection of a repository-relative path that is written, at any depth and in any case: git's
 * internals and Baton's own folder are never written (hooks and config run code; `.baton` holds the settings that
 * make this policy); environment files and tool settings need a human.
 * @example protectedPath('src/.GIT/hooks/pre-commit') // { verdict: 'deny', ... }
 */
export function protectedPath(repoPath: string): ProtectedFinding | undefined {
  const segments = repoPath.split('/').filter((s) => s !== '');
  if (segments.some(isGitSegment)) return { verdict: 'deny', reason: `"${repoPath}" is inside git's internals (.git)` };
  if (segments.some((s) => s.toLowerCase().replace(/[. ]+$/, '') === '.baton'))
    return { verdict: 'deny', reason: `"${repoPath}" is inside .baton, which holds Baton's settings` };
  const last = (segments[segments.length - 1] ?? '').toLowerCase();
  if (last.startsWith('.env')) return { verdict: 'ask', reason: `"${repoPath}" is an environment file` };
  if (
    SETTINGS_FILES.has(last) ||
    segments.some((s) => ['.claude', '.vscode', '.idea', '.husky'].includes(s.toLowerCase()))
  )
    return { verdict: 'ask', reason: `"${repoPath}" holds tool settings or hooks` };
  return undefined;
}
