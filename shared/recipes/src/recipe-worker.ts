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

// Rename projects this thread keeps (the most recent few), so lib files and shared dependencies are parsed once per
// thread rather than once per shard: by folder, and for commit snapshots (files held in memory) by repository + commit.
const MAX_PROJECTS = 2;
const projects = new Map<string, RenameProject | Promise<RenameProject>>();

/** The kept project under `key`, or a new one from `make`; the least recently used leave past MAX_PROJECTS. */
function keep<T extends RenameProject | Promise<RenameProject>>(key: string, make: () => T): T {
  const project = (projects.get(key) as T | undefined) ?? make();
  projects.delete(key);
  projects.set(key, project);
  for (const k of projects.keys()) if (projects.size > MAX_PROJECTS) projects.delete(k);
  return project;
}

const projectFor = (root: string): RenameProject => keep(`dir\0${root}`, () => createRenameProject(root));

function snapshotFor(repo: string, commit: string): Promise<RenameProject> {
  const key = `commit\0${repo}\0${commit}`;
  const project = keep(key, () =>
    readCommitFiles(repo, commit).then((files) => createRenameProject({ kind: 'snapshot', commit, files })),
  );
  // A failed read is not kept: the next task tries again.
  project.catch(() => projects.get(key) === project && projects.delete(key));
  return project;
}

/** Runs one recipe task inside a piscina worker thread. */
export default async function runRecipeTask(task: RecipeTask): Promise<RecipeTaskResult> {
  try {
    if (task.op === 'preview-commit') {
      const { recipe } = task.program;
      if (recipe.kind !== 'rename') throw new UnsupportedRecipeError(recipe.kind, 'preview-commit');
      const project = await snapshotFor(task.repo, task.commit);
      const { changed } = renameInFiles({
        project,
        files: programFiles(task.program),
        from: recipe.from,
        to: recipe.to,
        comments: recipe.comments,
        ...(recipe.declaredIn === undefined ? {} : { declaredIn: recipe.declaredIn }),
      });
      return { ok: true, filesChanged: changed.map((c) => c.path), changed };
    }
    const options = task.program.recipe.kind === 'rename' ? { project: projectFor(path.resolve(task.root)) } : {};
    if (task.op === 'apply') return { ok: true, ...(await applyProgram(task.root, task.program, options)) };
    const { changed } = await previewProgram(task.root, task.program, options);
    return { ok: true, filesChanged: changed.map((c) => c.path), changed };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) },
    };
  }
}
