import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@baton/bus';
import { createBundle } from '@baton/git';

/** Object name of a commit's snapshot. */
function snapshotName(commit: string): string {
  return `${commit}.bundle`;
}

/**
 * Publishes a `git bundle` of `commit` to the object store so remote workers can check it out;
 * idempotent (an existing snapshot of the same commit is kept).
 */
export async function publishSnapshot(store: ObjectStore, repoPath: string, commit: string): Promise<string> {
  const name = snapshotName(commit);
  if (await store.info(name)) return name;
  // Written to a file and streamed from it (git writes the file whole or not at all), not read from git's stdout:
  // a bundle ends with its pack's SHA-1, whose last byte is 0x0a one time in 256, and execa stripped it as a final
  // newline; such snapshots were stored one byte short and every fetch of them failed. createBundle's temporary
  // ref is unique per call (a concurrent publish of the same commit once deleted a shared one under a running bundle).
  const dir = await mkdtemp(join(tmpdir(), 'baton-snapshot-'));
  try {
    const file = join(dir, name);
    await createBundle(repoPath, commit, file);
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
