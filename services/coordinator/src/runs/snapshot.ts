import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import type { ObjectStore } from '@baton/bus';

/** Object name of a commit's snapshot. */
export function snapshotName(commit: string): string {
  return `${commit}.bundle`;
}

/**
 * Publishes a `git bundle` of `commit` to the object store so remote workers can check it out;
 * idempotent (an existing snapshot of the same commit is kept).
 */
export async function publishSnapshot(store: ObjectStore, repoPath: string, commit: string): Promise<string> {
  const name = snapshotName(commit);
  if (await store.info(name)) return name;
  // A bundle needs a ref to point at the commit: a temporary one under refs/baton-snapshots, removed after. It is
  // unique per call: with one name per commit, a concurrent publish of the same commit deleted the ref under a
  // running `git bundle create`, and the truncated bundle was stored (and, existing, reused by every later run).
  const ref = `refs/baton-snapshots/${commit}-${randomUUID()}`;
  await execa('git', ['update-ref', ref, commit], { cwd: repoPath });
  try {
    const proc = execa('git', ['bundle', 'create', '-', ref], { cwd: repoPath, encoding: 'buffer', buffer: true });
    const { stdout } = await proc;
    await store.put(name, new Uint8Array(stdout));
  } finally {
    await execa('git', ['update-ref', '-d', ref], { cwd: repoPath });
  }
  return name;
}
