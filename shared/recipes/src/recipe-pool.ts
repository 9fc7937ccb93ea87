import type { EditProgram } from '@baton/protocol';
import { Piscina } from 'piscina';
import { RecipeTaskError, UnsupportedRecipeError } from './errors.js';
import type { FileChange } from './file-change.js';
import type { RecipeTask, RecipeTaskResult } from './recipe-worker.js';

/** How many worker threads run recipes. */
export interface RecipePoolOptions {
  /** Worker threads, one program each at a time; match the slots a worker process offers. */
  threads: number;
}

/** Worker threads that run edit programs off the event loop. */
export interface RecipePool {
  readonly threads: number;
  /** Runs a program in place in `root` (a worktree at the program's base) on a worker thread. */
  run(root: string, program: EditProgram): Promise<{ filesChanged: string[] }>;
  /** Computes a program's changes on a worker thread without writing (see `previewProgram`). */
  preview(root: string, program: EditProgram): Promise<{ changed: FileChange[] }>;
  /**
   * Computes a rename program's changes against `commit` of the repository at `repo`, reading the commit's files
   * from git into memory (once per thread and commit) instead of from a checkout. Rename recipes only.
   */
  previewCommit(repo: string, commit: string, program: EditProgram): Promise<{ changed: FileChange[] }>;
  /** Stops the threads; queued and running tasks reject. */
  destroy(): Promise<void>;
}

/**
 * Starts a piscina pool of `threads` worker threads for CPU-bound recipe work (ts-morph renames, codemods).
 * The worker file is `recipe-worker.js` beside this module; when running from TypeScript source (tsx, vitest) it is
 * `recipe-worker-from-source.mjs`, which registers tsx in the thread and loads `recipe-worker.ts`.
 * @example const pool = createRecipePool({ threads: 2 }); await pool.run(worktree, program); await pool.destroy();
 */
export function createRecipePool(options: RecipePoolOptions): RecipePool {
  const threads = Math.max(1, Math.floor(options.threads));
  const fromSource = import.meta.url.endsWith('.ts');
  const piscina = new Piscina<RecipeTask, RecipeTaskResult>({
    filename: new URL(fromSource ? './recipe-worker-from-source.mjs' : './recipe-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Workspace packages resolve to their TypeScript source only under this condition.
    ...(fromSource
      ? { execArgv: [...process.execArgv.filter((a) => !a.startsWith('--conditions')), '--conditions=@baton/source'] }
      : {}),
  });
  const submit = async (task: RecipeTask): Promise<Extract<RecipeTaskResult, { ok: true }>> => {
    // Checked here so the caller gets the named error, not a cloned one.
    if (task.program.recipe.kind === 'command') throw new UnsupportedRecipeError('command', task.op);
    const result = await piscina.run(task);
    if (!result.ok) throw new RecipeTaskError(result.error.name, result.error.message, result.error.stack);
    return result;
  };
  return {
    threads,
    run: async (root, program) => ({ filesChanged: (await submit({ op: 'apply', root, program })).filesChanged }),
    preview: async (root, program) => ({ changed: (await submit({ op: 'preview', root, program })).changed ?? [] }),
    previewCommit: async (repo, commit, program) => ({
      changed: (await submit({ op: 'preview-commit', repo, commit, program })).changed ?? [],
    }),
    destroy: () => piscina.destroy(),
  };
}
