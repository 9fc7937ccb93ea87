import picomatch from 'picomatch';
import {
  SCHEMA_VERSION,
  type CommandRecipe,
  type Plan,
  type Recipe,
  type RunSpec,
  type Subtask,
} from '@baton/protocol';
import { EmptyRecipeError, NoRecipeError } from './errors.js';
import { listRepoFiles, type RepoFile } from './repo-files.js';
import { readRepoPackages, type RepoPackages } from './repo-packages.js';
import { DEFAULT_RECIPE_GLOB, recipeFileFilter, shardFiles, type ShardLimits } from '@baton/recipes';
import { DEFAULT_SHARD_LIMITS } from './shard-limits.js';
import { createIdAllocator, packageSlugs, type IdAllocator } from './subtask-ids.js';
import { inFolder, testerSubtasks } from './tester-subtasks.js';

/** What planRecipe needs. */
export interface PlanRecipeInput {
  spec: RunSpec;
  repoPath: string;
  baseCommit: string;
  /** Bounds of one editor shard; default 200 files / 2 MiB. */
  shardLimits?: Partial<ShardLimits>;
  /** The files of `baseCommit` when the caller has listed them already (listRepoFiles); listed here otherwise. */
  files?: readonly RepoFile[];
}

/**
 * Plans a recipe run without a model. `rename` and `codemod`: the files of the base commit the recipe takes
 * (its glob, or every TypeScript and JavaScript file outside generated and vendored folders: `recipeFileFilter`), grouped by package and sharded by folder and size into recipe editor subtasks
 * (`rename-<pkg>-<n>`), then one tester per package (`test-<pkg>`, see testerSubtasks). `command`:
 * one shell subtask per package matching `packages` (`cmd-<pkg>`), then the testers.
 * @throws EmptyRecipeError when the glob (or packages pattern) matches nothing.
 */
export async function planRecipe(input: PlanRecipeInput): Promise<Plan> {
  const { spec, repoPath, baseCommit } = input;
  const recipe = spec.recipe;
  if (recipe === undefined) throw new NoRecipeError();
  const files = input.files ?? (await listRepoFiles(repoPath, baseCommit));
  const packages = await readRepoPackages(repoPath, baseCommit, files);
  const ids = createIdAllocator();
  const limits = { ...DEFAULT_SHARD_LIMITS, ...input.shardLimits };

  const writers = new Map<string, string[]>();
  const work =
    recipe.kind === 'command'
      ? commandSubtasks(recipe, packages, ids)
      : editorSubtasks(recipe, files, packages, ids, limits);
  for (const { dir, subtask } of work) writers.set(dir, [...(writers.get(dir) ?? []), subtask.id]);
  const slugs = packageSlugs([...writers.keys()]);
  const testers = testerSubtasks({
    packages,
    writers,
    slugs,
    ids,
    ...(spec.testCommands === undefined ? {} : { testCommands: spec.testCommands }),
  });
  const subtasks = [...work.map((w) => w.subtask), ...testers];
  const what = recipe.kind === 'command' ? `${work.length} shell subtasks` : `${work.length} recipe editor shards`;
  return {
    v: SCHEMA_VERSION,
    summary: `${describeRecipe(recipe)}: ${what} in ${writers.size} ${writers.size === 1 ? 'package' : 'packages'}, then ${testers.length} testers.`,
    subtasks,
  };
}

interface Work {
  dir: string;
  subtask: Subtask;
}

function editorSubtasks(
  recipe: Exclude<Recipe, CommandRecipe>,
  files: readonly RepoFile[],
  packages: RepoPackages,
  ids: IdAllocator,
  limits: ShardLimits,
): Work[] {
  // Tracked files only (the base commit's tree), outside generated and vendored folders; a glob narrows.
  const isMatch = recipeFileFilter(recipe.glob);
  const matching = files.filter((f) => isMatch(f.path));
  if (matching.length === 0) throw new EmptyRecipeError(recipe.glob ?? DEFAULT_RECIPE_GLOB);
  const byPackage = new Map<string, RepoFile[]>();
  for (const f of matching) {
    const dir = packages.dirOf(f.path);
    const group = byPackage.get(dir);
    if (group === undefined) byPackage.set(dir, [f]);
    else group.push(f);
  }
  const slugs = packageSlugs([...byPackage.keys()]);
  const work: Work[] = [];
  for (const [dir, pkgFiles] of [...byPackage.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const shards = shardFiles(pkgFiles, limits);
    shards.forEach((shard, i) => {
      const where = dir === '' ? 'the repository root' : dir;
      work.push({
        dir,
        subtask: {
          id: ids.next(recipe.kind, slugs.get(dir)!, i + 1),
          kind: 'editor',
          title: `${describeRecipe(recipe)} in ${where} (${i + 1}/${shards.length})`.slice(0, 200),
          instructions: `Apply the ${recipe.kind} recipe to ${shard.length} ${shard.length === 1 ? 'file' : 'files'} of ${where}; the edit program does the change, no model.`,
          scope: { paths: shard },
          deps: [],
          budget: {},
          program: { recipe, files: shard },
        },
      });
    });
  }
  return work;
}

/**
 * Packages matching the pattern (folders with a package.json, matched by folder path). The root
 * takes part when the pattern is `.`, or when it is `**` or `*` and the root is the only package.
 * A package's shell runs after the shells of packages nested inside it, so their writes never race.
 */
function commandSubtasks(recipe: CommandRecipe, packages: RepoPackages, ids: IdAllocator): Work[] {
  const nested = packages.list.filter((p) => p.dir !== '');
  const isMatch = picomatch(recipe.packages, { dot: true });
  const rootTakesPart =
    recipe.packages === '.' ||
    (nested.length === 0 && packages.byDir.has('') && (recipe.packages === '**' || recipe.packages === '*'));
  const dirs = [...(rootTakesPart ? [''] : []), ...nested.map((p) => p.dir).filter((d) => isMatch(d))];
  if (dirs.length === 0) throw new EmptyRecipeError(recipe.packages, 'packages');
  const slugs = packageSlugs(dirs);
  const idOf = new Map(dirs.map((d) => [d, ids.next('cmd', slugs.get(d)!)]));
  return dirs.map((dir) => ({
    dir,
    subtask: {
      id: idOf.get(dir)!,
      kind: 'shell',
      title: `run \`${recipe.command}\` in ${dir === '' ? 'the repository root' : dir}`.slice(0, 200),
      instructions: `Run the command in ${dir === '' ? 'the repository root' : dir}; the files it changes become the diff.`,
      scope: { paths: [dir === '' ? '**' : dir] },
      deps: dirs.filter((d) => d !== dir && (dir === '' || d.startsWith(`${dir}/`))).map((d) => idOf.get(d)!),
      budget: {},
      commands: [inFolder(dir, recipe.command)],
    },
  }));
}

function describeRecipe(recipe: Recipe): string {
  switch (recipe.kind) {
    case 'rename':
      return `rename ${recipe.from} -> ${recipe.to}`;
    case 'codemod':
      return `codemod ${recipe.module ?? recipe.command ?? ''}`.trim();
    case 'command':
      return `run \`${recipe.command}\` per package`;
  }
}
