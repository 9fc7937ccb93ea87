import { availableParallelism } from 'node:os';
import { createRecipePool, type RecipePool } from '@baton/recipes';

/**
 * Recipe work is CPU-bound: more threads than cores only add memory (each thread holds its own parsed files) and
 * contention. One core is left to the process's main thread, which diffs, talks to the bus and, in the embedded
 * `baton run`, also merges every result: on 2 cores, one recipe thread finished a 10,000-file rename sooner than two
 * (8 s vs 11 s) and with 140 MB less memory.
 */
export function defaultRecipeThreads(slots: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(slots, cores - 1));
}

/** A recipe pool whose threads start on first use: most workers never run a recipe. */
export function lazyRecipePool(threads: number): RecipePool {
  let pool: RecipePool | undefined;
  const get = () => (pool ??= createRecipePool({ threads }));
  return {
    threads,
    run: (root, program) => get().run(root, program),
    preview: (root, program) => get().preview(root, program),
    previewCommit: (repo, commit, program) => get().previewCommit(repo, commit, program),
    destroy: async () => {
      await pool?.destroy();
    },
  };
}
