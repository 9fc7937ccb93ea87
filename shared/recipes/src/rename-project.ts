import { existsSync } from 'node:fs';
import path from 'node:path';
import { Project } from 'ts-morph';
import { resolveInRepo } from './file-change.js';

/**
 * A ts-morph Project for renaming in one repository, reusable across the shards one thread processes: the lib files
 * and the tsconfig are parsed once, and files already parsed for one shard (shared dependencies such as the
 * declaring package) serve the next. Before each use it is brought up to date with the disk.
 */
export interface RenameProject {
  readonly root: string;
  readonly project: Project;
  /** Files kept parsed between uses; past this the cache is emptied, so a thread never holds a whole large repository. */
  readonly maxCachedFiles: number;
}

/** Creates a rename project for `root`, using its tsconfig (repository-relative, default `tsconfig.json` when present) for module resolution. */
export function createRenameProject(root: string, options: { tsconfig?: string; maxCachedFiles?: number } = {}): RenameProject {
  const absoluteRoot = path.resolve(root);
  const tsconfig = resolveInRepo(absoluteRoot, options.tsconfig ?? 'tsconfig.json');
  const project = new Project({
    ...(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig } : {}),
    skipAddingFilesFromTsConfig: true,
    // Global type packages do not change what an import resolves to; loading them per shard is pure cost.
    compilerOptions: { types: [], noEmit: true, allowJs: true },
  });
  return { root: absoluteRoot, project, maxCachedFiles: options.maxCachedFiles ?? 2_000 };
}

/** Brings a reused project up to date before a shard: re-reads files changed on disk, drops deleted ones, empties an oversized cache. */
export function refreshRenameProject(renameProject: RenameProject): void {
  const { project, maxCachedFiles } = renameProject;
  const cached = project.getSourceFiles();
  if (cached.length > maxCachedFiles) {
    for (const sourceFile of cached) project.removeSourceFile(sourceFile);
    return;
  }
  for (const sourceFile of cached) sourceFile.refreshFromFileSystemSync();
}
