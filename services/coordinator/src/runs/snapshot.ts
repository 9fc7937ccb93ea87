import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // Written to a file and streamed from it (git writes the file whole or not at all), not read from git's stdout:
  // execa strips a final newline even from binary output by default, and a bundle ends with its pack's SHA-1, whose
  // last byte is 0x0a one time in 256; such snapshots were stored one byte short and every fetch of them failed.
  const dir = await mkdtemp(join(tmpdir(), 'baton-snapshot-'));
  try {
    const file = join(dir, name);
    await execa('git', ['update-ref', ref, commit], { cwd: repoPath });
    try {
      await execa('git', ['bundle', 'create', '-q', file, ref], { cwd: repoPath });
    } finally {
      await execa('git', ['update-ref', '-d', ref], { cwd: repoPath });
    }
    const bytes = createReadStream(file);
    try {
      await store.put(name, bytes);
    } finally {
      // A failed put may leave the file half read: close it so the folder can go.
      bytes.destroy();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return name;
}
