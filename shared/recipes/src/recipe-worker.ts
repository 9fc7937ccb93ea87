import path from 'node:path';
import type { EditProgram } from '@baton/protocol';
import { applyProgram, previewProgram, programFiles } from './apply-program.js';
import type { FileChange } from './file-change.js';
import { readCommitFiles } from './commit-files.js';
import { renameInFiles } from './rename-in-files.js';
import { createRenameProject, type RenameProject } from './rename-project.js';
import { UnsupportedRecipeError } from './errors.js';

/** What the pool asks a worker thread to do. */
export type RecipeTask =
  | { op: 'apply' | 'preview'; root: string; program: EditProgram }
  /** A rename previewed against a commit's files read from the repository, without a checkout. */
  | { op: 'preview-commit'; repo: string; commit: string; program: EditProgram };

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

// The same for commit snapshots (the files of a commit held in memory), by repository and commit.
const snapshots = new Map<string, Promise<RenameProject>>();

function snapshotFor(repo: string, commit: string): Promise<RenameProject> {
  const key = `${repo}\0${commit}`;
  const cached = snapshots.get(key);
  snapshots.delete(key);
  const project = cached ?? readCommitFiles(repo, commit).then((files) => createRenameProject({ kind: 'snapshot', commit, files }));
  snapshots.set(key, project);
  // A failed read is not kept: the next task tries again.
  project.catch(() => snapshots.get(key) === project && snapshots.delete(key));
  for (const k of snapshots.keys()) if (snapshots.size > MAX_PROJECTS) snapshots.delete(k);
  return project;
}

/** Runs one recipe task inside a piscina worker thread. */
export default async function runRecipeTask(task: RecipeTask): Promise<RecipeTaskResult> {
  try {
    if (task.op === 'preview-commit') {
      const { recipe } = task.program;
      if (recipe.kind !== 'rename') throw new UnsupportedRecipeError(recipe.kind, 'preview-commit');
      const project = await snapshotFor(task.repo, task.commit);
      const { changed } = renameInFiles({ project, files: programFiles(task.program), from: recipe.from, to: recipe.to, comments: recipe.comments, ...(recipe.declaredIn === undefined ? {} : { declaredIn: recipe.declaredIn }) });
      return { ok: true, filesChanged: changed.map((c) => c.path), changed };
    }
    const options = task.program.recipe.kind === 'rename' ? { project: projectFor(path.resolve(task.root)) } : {};
    if (task.op === 'apply') return { ok: true, ...(await applyProgram(task.root, task.program, options)) };
    const { changed } = await previewProgram(task.root, task.program, options);
    return { ok: true, filesChanged: changed.map((c) => c.path), changed };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  }
}
