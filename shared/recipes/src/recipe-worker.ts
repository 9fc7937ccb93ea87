import type { EditProgram } from '@baton/protocol';
import { applyProgram, previewProgram } from './apply-program.js';
import type { FileChange } from './file-change.js';

/** What the pool asks a worker thread to do. */
export interface RecipeTask {
  op: 'apply' | 'preview';
  root: string;
  program: EditProgram;
}

/** A worker thread's answer; errors travel as data because structured clone drops custom error classes and fields. */
export type RecipeTaskResult =
  | { ok: true; filesChanged: string[]; changed?: FileChange[] }
  | { ok: false; error: { name: string; message: string; stack?: string } };

/** Runs one recipe task inside a piscina worker thread. */
export default async function runRecipeTask(task: RecipeTask): Promise<RecipeTaskResult> {
  try {
    if (task.op === 'apply') return { ok: true, ...(await applyProgram(task.root, task.program)) };
    const { changed } = await previewProgram(task.root, task.program);
    return { ok: true, filesChanged: changed.map((c) => c.path), changed };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  }
}
