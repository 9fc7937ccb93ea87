import { existsSync } from 'node:fs';
import {
  assertClean,
  repositoryRoot,
  resolveCommit,
  DirtyWorkingTreeError,
  NotARepositoryError,
  UnknownRefError,
} from '@baton/coordinator';
import { loadSettings, SettingsError } from '@baton/policy';
import type { RunSpec } from '@baton/protocol';
import { CliError } from './errors.js';

/**
 * The checks the coordinator makes at submit, run before anything starts so a mistake gets a
 * clear message at once: the path exists and is a git repository, the base ref is a commit, the
 * working tree is clean (unless --allow-dirty), and the settings files are valid; then the recipe's own checks
 * (a rename's `--from` declared once, `--to` free where it goes: the planner's checkRecipe), so a run that cannot be
 * right is refused before the coordinator creates its branch.
 */
export async function checkRepository(spec: RunSpec): Promise<void> {
  const path = spec.repo.path;
  if (!existsSync(path)) throw new CliError(`--repo ${path}: no such directory`, 2);
  try {
    const root = await repositoryRoot(path);
    const baseCommit = await resolveCommit(root, spec.baseRef);
    if (!spec.allowDirty) await assertClean(root);
    await loadSettings({ repoPath: root });
    if (spec.recipe?.kind === 'rename') await checkRename(spec, root, baseCommit);
  } catch (err) {
    if (err instanceof NotARepositoryError)
      throw new CliError(`--repo ${path} is not a git repository (run git init, or point --repo at one)`, 2, {
        cause: err,
      });
    if (err instanceof UnknownRefError)
      throw new CliError(`--base ${spec.baseRef} does not name a commit in ${path}`, 2, { cause: err });
    if (err instanceof DirtyWorkingTreeError || err instanceof SettingsError)
      throw new CliError(err.message, 2, { cause: err });
    throw err;
  }
}

/** The planner's checks of a rename, loaded only for one (they pull in the TypeScript compiler). */
async function checkRename(spec: RunSpec, root: string, baseCommit: string): Promise<void> {
  const { checkRecipe, RecipeRefusedError } = await import('@baton/planner');
  try {
    await checkRecipe({ spec, repoPath: root, baseCommit });
  } catch (err) {
    if (err instanceof RecipeRefusedError) throw new CliError(err.message, 2, { cause: err });
    throw err;
  }
}
