import type { EditProgram } from '@baton/protocol';
import { applyCodemod, transformWithModule } from './apply-codemod.js';
import { UnsupportedRecipeError } from './errors.js';
import type { FileChange } from './file-change.js';
import { recipeFileFilter } from './recipe-files.js';
import { applyRename, renameInFiles, type RecipeRunOptions } from './rename-in-files.js';

/** The files of a program its recipe selects (the planner already filtered; this keeps a recipe inside its files). */
export function programFiles(program: EditProgram): string[] {
  if (program.recipe.kind === 'command') return [...program.files];
  const matches = recipeFileFilter(program.recipe.glob);
  return program.files.filter((f) => matches(f));
}

/**
 * Runs an edit program in place in `root` (a worktree at the program's base commit) and returns the changed files.
 * `command` recipes are the shell agent's (they need the permission policy), so they throw {@link UnsupportedRecipeError}.
 */
export async function applyProgram(
  root: string,
  program: EditProgram,
  options: RecipeRunOptions = {},
): Promise<{ filesChanged: string[] }> {
  const { recipe } = program;
  const files = programFiles(program);
  switch (recipe.kind) {
    case 'rename':
      return { filesChanged: await applyRename(root, recipe, files, options) };
    case 'codemod':
      return { filesChanged: await applyCodemod(root, recipe, files) };
    case 'command':
      throw new UnsupportedRecipeError(recipe.kind, 'apply');
  }
}

/**
 * Computes an edit program's changes without writing, so several shards can be computed against the same base and
 * written afterwards. Rename and codemod modules only: a codemod command can only run in place.
 */
export async function previewProgram(
  root: string,
  program: EditProgram,
  options: RecipeRunOptions = {},
): Promise<{ changed: FileChange[] }> {
  const { recipe } = program;
  const files = programFiles(program);
  if (recipe.kind === 'rename') {
    const { from, to, comments, declaredIn } = recipe;
    return renameInFiles({
      ...options,
      root,
      files,
      from,
      to,
      comments,
      ...(declaredIn === undefined ? {} : { declaredIn }),
    });
  }
  if (recipe.kind === 'codemod' && recipe.module !== undefined)
    return { changed: await transformWithModule(root, recipe.module, files) };
  throw new UnsupportedRecipeError(recipe.kind, 'preview');
}
