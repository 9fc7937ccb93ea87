import path from 'node:path';
import type { EditProgram } from '@baton/protocol';
import { applyProgram, previewProgram } from './apply-program.js';
import type { FileChange } from './file-change.js';
import { createRenameProject, type RenameProject } from './rename-project.js';

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

// One rename project per repository this thread works in (the most recent few), so lib files and shared
// dependencies are parsed once per thread rather than once per shard.
const MAX_PROJECTS = 2;
const projects = new Map<string, RenameProject>();

function projectFor(root: string): RenameProject {
  const cached = projects.get(root);
  projects.delete(root);
  const project = cached ?? createRenameProject(root);
  projects.set(root, project);
  for (const key of projects.keys()) if (projects.size > MAX_PROJECTS) projects.delete(key);
  return project;
}

/** Runs one recipe task inside a piscina worker thread. */
export default async function runRecipeTask(task: RecipeTask): Promise<RecipeTaskResult> {
  try {
    const options = task.program.recipe.kind === 'rename' ? { project: projectFor(path.resolve(task.root)) } : {};
    if (task.op === 'apply') return { ok: true, ...(await applyProgram(task.root, task.program, options)) };
    const { changed } = await previewProgram(task.root, task.program, options);
    return { ok: true, filesChanged: changed.map((c) => c.path), changed };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  }
}
