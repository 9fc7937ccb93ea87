import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '@baton/protocol';
import { gitOutput } from './git-output.js';
import { LOCKFILES } from './package-manager.js';

/** What keys a prepared environment: the key files' blobs at a commit, and the settings that shape it. */
export interface EnvironmentKey {
  /** Short hex digest naming the prepared environment. */
  id: string;
  /** Key file -> blob id at the commit (files absent there are left out). */
  blobs: Map<string, string>;
  /** The files at the repository's root at the commit (for package-manager detection). */
  rootFiles: string[];
}

/**
 * Computes the environment key of `commit` in `repo`: the blob ids of the key files (default: the root's lockfiles)
 * and the `include` and `setup` settings, hashed. Reading blob ids from git costs one process, whatever their size.
 */
export async function environmentKey(repo: string, commit: string, config: EnvironmentConfig): Promise<EnvironmentKey> {
  const root = await gitOutput(repo, 'git ls-tree (environment key)', ['ls-tree', '-z', '--name-only', commit]);
  const rootFiles = root.split('\0').filter(Boolean);
  const keyFiles = config.key ?? [...LOCKFILES];
  const blobs = new Map<string, string>();
  if (keyFiles.length > 0) {
    const listed = await gitOutput(repo, 'git ls-tree (environment key)', ['ls-tree', '-z', commit, '--', ...keyFiles]);
    for (const entry of listed.split('\0').filter(Boolean)) {
      const tab = entry.indexOf('\t');
      const [, type, blob] = entry.slice(0, tab).split(' ');
      if (type === 'blob' && blob) blobs.set(entry.slice(tab + 1), blob);
    }
  }
  const id = createHash('sha256')
    .update(JSON.stringify({ blobs: [...blobs].sort(), include: config.include ?? null, setup: config.setup ?? null }))
    .digest('hex')
    .slice(0, 16);
  return { id, blobs, rootFiles };
}

/**
 * Whether the files of a checkout's working tree are those of the key (same blob ids, and no key file present in one
 * but not the other): then what the user installed there was installed for this key.
 */
export async function checkoutMatchesKey(
  checkout: string,
  key: EnvironmentKey,
  keyFiles: readonly string[],
): Promise<boolean> {
  const present = keyFiles.filter((f) => existsSync(join(checkout, f)));
  if (present.length !== key.blobs.size || present.some((f) => !key.blobs.has(f))) return false;
  if (present.length === 0) return true;
  const ids = (await gitOutput(checkout, 'git hash-object (environment key)', ['hash-object', '--', ...present]))
    .split('\n')
    .filter(Boolean);
  return present.every((f, i) => ids[i] === key.blobs.get(f));
}
