import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProgram } from './run-program.js';

/**
 * Gives a worktree the environment's folders as hard-link copies (`cp -al`: new folders, shared file inodes): the
 * fallback where overlay mounts are not allowed. Cheap, but a write *into* a linked file (not a new file, nor a
 * replaced one) would reach the prepared copy: see `environmentFingerprint`, which detects it so the copy is rebuilt.
 */
export async function linkEnvironment(lower: string, worktree: string, dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    await mkdir(dirname(join(worktree, dir)), { recursive: true });
    await runProgram('cp', ['-al', '--', join(lower, dir), join(worktree, dir)]);
  }
}

/**
 * A digest of every entry under the environment's folders: type, mode, size and modification time (not the change
 * time, which every new hard link moves). An in-place write or a chmod through a hard link changes it.
 */
export async function environmentFingerprint(root: string, dirs: readonly string[]): Promise<string> {
  if (dirs.length === 0) return '';
  const r = await runProgram('find', [...dirs, '-printf', '%y %m %s %T@ %p\\n'], { cwd: root });
  return createHash('sha256').update(String(r.stdout)).digest('hex');
}
