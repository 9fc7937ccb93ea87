import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathOutsideRepoError } from './errors.js';

/** One file's content before and after a recipe, by repository-relative path. */
export interface FileChange {
  path: string;
  before: string;
  after: string;
}

/** The absolute path of repository-relative `file`, refusing absolute paths and `..` escapes. */
export function resolveInRepo(root: string, file: string): string {
  const absolute = path.resolve(root, file);
  const rel = path.relative(root, absolute);
  if (path.isAbsolute(file) || rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    throw new PathOutsideRepoError(file, root);
  return absolute;
}

/** Writes every change into `root` and returns the changed paths. */
export async function writeFileChanges(root: string, changes: readonly FileChange[]): Promise<string[]> {
  for (const change of changes) {
    const absolute = resolveInRepo(root, change.path);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, change.after);
  }
  return changes.map((c) => c.path);
}
