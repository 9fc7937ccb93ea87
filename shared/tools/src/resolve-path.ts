import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PathRefusedError } from './errors.js';

/** Why worktree confinement refused a path. */
export const PathRefusal = {
  Invalid: 'invalid',
  Outside: 'outside-worktree',
  GitInternals: 'git-internals',
  SymlinkOutside: 'symlink-outside',
  DanglingSymlink: 'dangling-symlink',
  HardLink: 'hard-link',
  WorktreeRoot: 'worktree-root',
} as const;
/** Why worktree confinement refused a path. */
export type PathRefusal = (typeof PathRefusal)[keyof typeof PathRefusal];

/** A path proven to lie inside the worktree after resolving every symlink. */
export type ResolvedPath = {
  /** Absolute real path (symlinks resolved; a not-yet-existing tail appended). */
  absolute: string;
  /** Path relative to the worktree's real root, posix separators; `''` is the root itself. */
  relative: string;
  /** Whether something exists at the path. */
  exists: boolean;
};

/** How the caller means to use the path; `write` adds the hard-link and worktree-root refusals. */
export type PathIntent = 'read' | 'write';

/**
 * Resolves `input` (relative to `root`, or absolute inside it) and proves it stays inside the
 * worktree: refuses `..` escapes, absolute paths elsewhere (including prefix siblings such as
 * `/tmp/wt-evil` for `/tmp/wt`), any `.git` segment, symlinks (also of parent directories)
 * leading out, dangling symlinks, and for writes regular files with more than one hard link.
 * Throws {@link PathRefusedError}; `root` itself must exist.
 * @example const { absolute, relative } = await resolveWorktreePath('/tmp/wt', 'src/a.ts', 'write');
 */
export async function resolveWorktreePath(
  root: string,
  input: string,
  intent: PathIntent = 'read',
): Promise<ResolvedPath> {
  if (input.length === 0 || input.includes('\0')) {
    throw new PathRefusedError(input, PathRefusal.Invalid, 'a path must be a non-empty string without NUL characters');
  }
  const lexicalRoot = path.resolve(root);
  const realRoot = await realpath(lexicalRoot);
  const target = path.resolve(lexicalRoot, input);
  const base = [lexicalRoot, realRoot].find((candidate) => isInside(candidate, target));
  if (base === undefined) {
    throw new PathRefusedError(
      input,
      PathRefusal.Outside,
      `it resolves to ${target}, outside the worktree ${lexicalRoot}`,
    );
  }
  refuseGitInternals(input, path.relative(base, target));

  const { real, exists } = await realpathOfLongestExisting(input, target);
  if (!isInside(realRoot, real)) {
    throw new PathRefusedError(
      input,
      PathRefusal.SymlinkOutside,
      `a symbolic link leads to ${real}, outside the worktree`,
    );
  }
  const relative = path.relative(realRoot, real).split(path.sep).join('/');
  // A symlink inside the worktree may still lead into .git (e.g. `cfg -> .git/config`).
  refuseGitInternals(input, relative);

  if (intent === 'write') {
    if (relative === '') throw new PathRefusedError(input, PathRefusal.WorktreeRoot, 'it is the worktree root itself');
    if (exists) await refuseHardLink(input, real);
  }
  return { absolute: real, relative, exists };
}

/** True when `target` is `base` or lies below it (by path segments, never by string prefix). */
function isInside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function refuseGitInternals(input: string, relative: string): void {
  // Any `.git` segment: the repository's own `.git` (directory, or file in a linked worktree)
  // and the `.git` of nested repositories or submodules. Case-folded for case-insensitive disks.
  if (relative.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git')) {
    throw new PathRefusedError(
      input,
      PathRefusal.GitInternals,
      'paths inside .git are git internals and are never read or written by tools',
    );
  }
}

/** Realpath of the deepest existing ancestor, with the missing tail appended unchanged. */
async function realpathOfLongestExisting(input: string, target: string): Promise<{ real: string; exists: boolean }> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await realpath(current);
      return { real: path.join(real, ...missing), exists: missing.length === 0 };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    // realpath fails on a dangling symlink too; writing through one could land anywhere.
    const link = await lstat(current).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (link?.isSymbolicLink()) {
      throw new PathRefusedError(
        input,
        PathRefusal.DanglingSymlink,
        `${current} is a symbolic link whose target does not exist`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) throw new PathRefusedError(input, PathRefusal.Invalid, 'no part of the path exists');
    missing.unshift(path.basename(current));
    current = parent;
  }
}

async function refuseHardLink(input: string, real: string): Promise<void> {
  const info = await stat(real);
  if (info.isFile() && info.nlink > 1) {
    throw new PathRefusedError(
      input,
      PathRefusal.HardLink,
      `it is a hard link (${info.nlink} names share this file), so editing it would also change a file that may live outside the worktree`,
    );
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
