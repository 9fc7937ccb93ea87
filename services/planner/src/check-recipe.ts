import type { RunSpec } from '@baton/protocol';
import {
  AmbiguousRenameError,
  checkRename,
  createRenameProject,
  PathOutsideRepoError,
  readCommitFiles,
  recipeFileFilter,
  RenameCollisionError,
  RenameSourceNotFoundError,
  RenameTargetNotFoundError,
} from '@baton/recipes';
import { RecipeRefusedError } from './errors.js';
import { listRepoFiles, type RepoFile } from './repo-files.js';

/** What checkRecipe needs: the run's spec and the repository at its base commit. */
export interface CheckRecipeInput {
  spec: RunSpec;
  repoPath: string;
  baseCommit: string;
  /** The files of `baseCommit` when the caller has listed them already. */
  files?: readonly RepoFile[];
}

/**
 * The checks a recipe must pass before a run starts, so a mistake is refused with its reason before any branch
 * exists (the CLI runs it before submitting; exit 2). A rename is checked by `checkRename` against the base commit's
 * files read from git: `from` searched in every source file (a narrowing glob does not hide the declaration), `to`
 * where the rename writes it (the glob's files). Other recipes have nothing to check here.
 * @throws RecipeRefusedError with the recipe package's error as `cause`.
 */
export async function checkRecipe(input: CheckRecipeInput): Promise<void> {
  const recipe = input.spec.recipe;
  if (recipe?.kind !== 'rename') return;
  const listed = (input.files ?? (await listRepoFiles(input.repoPath, input.baseCommit))).map((f) => f.path);
  const sources = listed.filter(recipeFileFilter(undefined));
  const files = recipe.glob === undefined ? sources : listed.filter(recipeFileFilter(recipe.glob));
  const project = createRenameProject({
    kind: 'snapshot',
    commit: input.baseCommit,
    files: await readCommitFiles(input.repoPath, input.baseCommit),
  });
  try {
    checkRename({
      project,
      sources: [...new Set([...sources, ...files])],
      files,
      from: recipe.from,
      to: recipe.to,
      ...(recipe.declaredIn === undefined ? {} : { declaredIn: recipe.declaredIn }),
    });
  } catch (error) {
    if (
      error instanceof RenameSourceNotFoundError ||
      error instanceof AmbiguousRenameError ||
      error instanceof RenameCollisionError ||
      error instanceof RenameTargetNotFoundError ||
      error instanceof PathOutsideRepoError
    )
      throw new RecipeRefusedError('rename', { cause: error });
    throw error;
  }
}
