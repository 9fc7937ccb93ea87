import type { WorkItem } from '@baton/protocol';
import type { CommandLauncher } from '@baton/tools';
import type { Worktree, Workspaces } from '../workspace/workspaces.js';
import type { WorktreeEnvironments } from './worktree-environments.js';

/** An attempt's worktree with its environment: where its commands run and how they start. */
export interface AttemptTree extends Worktree {
  launch: CommandLauncher | undefined;
}

/**
 * The worktree of one attempt of `item`, at its base commit, with the run's environment: the repository found through
 * `workspaces` (the user's, or the snapshot mirror), the user's checkout when the item names a local one. Testers and
 * shells install in the worktree when the commit's manifests differ from the environment's. `remove` hands the
 * worktree back for the worker's next attempt.
 */
export async function openAttemptTree(
  item: WorkItem,
  workspaces: Workspaces,
  environments: WorktreeEnvironments,
  signal: AbortSignal,
): Promise<AttemptTree> {
  const tree = await environments.acquire({
    repo: await workspaces.repository(item.repo, item.baseCommit),
    ...(item.repo.kind === 'local' ? { checkout: item.repo.path } : {}),
    commit: item.baseCommit,
    config: item.environment ?? {},
    installOnManifestChange: item.subtask.kind !== 'editor',
    signal,
  });
  return { dir: tree.dir, launch: tree.launch, diff: () => tree.diff(), remove: () => tree.release() };
}
