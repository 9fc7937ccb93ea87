/**
 * The single-process baseline of bench/run.bench.ts part (c): every file in one ts-morph Project, `rename()` of the
 * declaration (the language service finds every reference), save. The same baseline bench/recipe.bench.ts runs.
 */
import path from 'node:path';
import { Project } from 'ts-morph';

/** A symbol to rename and the file that declares it. */
export interface RenameTarget {
  from: string;
  to: string;
  declaredIn: string;
}

/** Renames `target` across `files` (repository-relative) of `dir` in one Project and saves; returns the files changed. */
export async function renameInOneProject(dir: string, files: readonly string[], target: RenameTarget): Promise<number> {
  const project = new Project({ tsConfigFilePath: path.join(dir, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths(files.map((f) => path.join(dir, f)));
  project.getSourceFileOrThrow(path.join(dir, target.declaredIn)).getFunctionOrThrow(target.from).rename(target.to);
  const changed = project.getSourceFiles().filter((f) => !f.isSaved()).length;
  await project.save();
  return changed;
}
