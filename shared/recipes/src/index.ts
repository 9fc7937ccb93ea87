/** @baton/recipes: Deterministic edit programs (semantic rename via ts-morph, codemods) and the worker-thread pool that runs them. */
export { renameInFiles, applyRename, type RenameInFilesInput, type RecipeRunOptions } from './rename-in-files.js';
export { createRenameProject, snapshotRoot, type RenameProject, type ProjectFiles } from './rename-project.js';
export { readCommitFiles } from './commit-files.js';
export { checkRename, type CheckRenameInput } from './check-rename.js';
export { applyCodemod, transformWithModule, shellQuote, type CodemodTransform } from './apply-codemod.js';
export { applyProgram, previewProgram, programFiles } from './apply-program.js';
export { createRecipePool, type RecipePool, type RecipePoolOptions } from './recipe-pool.js';
export { recipeFileFilter, DEFAULT_RECIPE_GLOB, RECIPE_EXTENSIONS, SKIPPED_FOLDERS } from './recipe-files.js';
export {
  readWorkspacePackages,
  pnpmPackages,
  type WorkspacePackage,
  type WorkspaceSource,
} from './workspace-packages.js';
export { shardFiles, type SizedFile, type ShardLimits } from './shard-files.js';
export { writeFileChanges, resolveInRepo, type FileChange } from './file-change.js';
export { applyTextEdits, type TextEdit } from './text-edit.js';
export {
  RenameTargetNotFoundError,
  UnsupportedRecipeError,
  CodemodModuleError,
  CodemodCommandError,
  PathOutsideRepoError,
  InvalidShardLimitsError,
  RecipeTaskError,
  GitReadError,
  FileNotInRepoError,
  RenameSourceNotFoundError,
  AmbiguousRenameError,
  RenameCollisionError,
  type DeclarationSite,
} from './errors.js';
