import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { resolveInRepo } from './file-change.js';

/**
 * What one thread keeps between the rename shards of one repository: the compiler options (tsconfig parsed once), a
 * module resolution cache, and the parsed source files (lib files, the declaring package and other shared
 * dependencies), so each shard's program parses only what it has not seen. A file is re-parsed when its text on
 * disk changed since it was parsed, so a project reused in a worktree that is being edited stays correct.
 *
 * Why the compiler API and not a ts-morph Project: a Project keeps every file any shard's program pulled in, so each
 * later program grew (a package's test file imports all of its modules: 8,700 files by the last shards of a
 * 10,000-file repository) and each shard paid for all of them; here a shard's program holds its own files and their
 * imports only, and the cache is bounded.
 */
export interface RenameProject {
  readonly root: string;
  readonly options: ts.CompilerOptions;
  /** Files kept parsed between shards (least recently used leave first); lib files are always kept. */
  readonly maxCachedFiles: number;
  /** A program over `files` (absolute) and what they import, reusing parsed files. */
  program(files: readonly string[]): ts.Program;
  /** Parsed files held now (for tests and diagnostics). */
  cachedFiles(): number;
}

interface Cached {
  text: string;
  sourceFile: ts.SourceFile;
}

/** Creates a rename project for `root`, using its tsconfig (repository-relative, default `tsconfig.json` when present) for module resolution. */
export function createRenameProject(root: string, options: { tsconfig?: string; maxCachedFiles?: number } = {}): RenameProject {
  const absoluteRoot = path.resolve(root);
  const tsconfig = resolveInRepo(absoluteRoot, options.tsconfig ?? 'tsconfig.json');
  const compilerOptions: ts.CompilerOptions = {
    ...(existsSync(tsconfig) ? readCompilerOptions(tsconfig) : {}),
    // Global type packages do not change what an import resolves to; loading them per shard is pure cost.
    types: [],
    noEmit: true,
    allowJs: true,
  };
  const maxCachedFiles = options.maxCachedFiles ?? 3_000;
  const host = ts.createCompilerHost(compilerOptions, true);
  const libDir = path.dirname(host.getDefaultLibFileName(compilerOptions));
  const cache = new Map<string, Cached>();
  const resolution = ts.createModuleResolutionCache(absoluteRoot, (f) => f, compilerOptions);

  host.getSourceFile = (fileName, languageVersion, onError) => {
    let text: string;
    try {
      text = readFileSync(fileName, 'utf8');
    } catch (err) {
      onError?.((err as Error).message);
      return undefined;
    }
    const hit = cache.get(fileName);
    // Delete + set moves the entry to the end: the Map's order is least recently used first.
    cache.delete(fileName);
    if (hit !== undefined && hit.text === text) {
      cache.set(fileName, hit);
      return hit.sourceFile;
    }
    const sourceFile = ts.createSourceFile(fileName, text, languageVersion, true);
    cache.set(fileName, { text, sourceFile });
    return sourceFile;
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts, containingSourceFile) =>
    literals.map((literal) =>
      ts.resolveModuleName(literal.text, containingFile, opts, host, resolution, redirectedReference, ts.getModeForUsageLocation(containingSourceFile, literal, opts)),
    );

  const evict = (): void => {
    if (cache.size <= maxCachedFiles) return;
    for (const key of cache.keys()) {
      if (cache.size <= maxCachedFiles) break;
      if (!key.startsWith(libDir)) cache.delete(key);
    }
  };

  return {
    root: absoluteRoot,
    options: compilerOptions,
    maxCachedFiles,
    program: (files) => {
      const program = ts.createProgram({ rootNames: [...files], options: compilerOptions, host });
      evict();
      return program;
    },
    cachedFiles: () => cache.size,
  };
}

/** The tsconfig's compiler options (following `extends`), without listing its files: only module resolution is needed. */
function readCompilerOptions(tsconfig: string): ts.CompilerOptions {
  const read = ts.readConfigFile(tsconfig, (file) => ts.sys.readFile(file));
  const config: unknown = read.config;
  if (config === undefined) return {};
  return ts.parseJsonConfigFileContent(config, { ...ts.sys, readDirectory: () => [] }, path.dirname(tsconfig), undefined, tsconfig).options;
}
