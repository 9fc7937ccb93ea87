import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { resolveInRepo } from './file-change.js';
import { createModuleResolver } from './module-resolver.js';
import { SKIPPED_FOLDERS } from './recipe-files.js';
import { readCompilerOptions } from './tsconfig-options.js';
import { readWorkspacePackages } from './workspace-packages.js';

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
  /** The repository's root: a real folder, or for a commit snapshot a virtual path that exists nowhere on disk. */
  readonly root: string;
  /** Reads a file under `root` (undefined when it does not exist). */
  readFile(absolute: string): string | undefined;
  readonly options: ts.CompilerOptions;
  /** Files kept parsed between shards (least recently used leave first); lib files are always kept. */
  readonly maxCachedFiles: number;
  /** A program over `files` (absolute) and what they import, reusing parsed files. */
  program(files: readonly string[]): ts.Program;
  /** Parsed files held now (for tests and diagnostics). */
  cachedFiles(): number;
}

/**
 * Just enough of `Promise` for the checker to type `await import('./x')` and `import('./x').then((m) => …)`, so a
 * use through a dynamic import is found (with no lib, an import() call has no type and `m.name` no symbol).
 */
const PROMISE_LIB = `interface Promise<T> {\n  then<R>(onfulfilled: (value: T) => R): Promise<R>;\n}\n`;

interface Cached {
  text: string;
  sourceFile: ts.SourceFile;
}

/** Where a rename project's files come from. */
export type ProjectFiles =
  /** A folder on disk (a worktree, a checkout). */
  | { kind: 'disk'; root: string }
  /** A commit's files held in memory (see `readCommitFiles`), by repository-relative path. */
  | { kind: 'snapshot'; commit: string; files: ReadonlyMap<string, string> };

/** The virtual root of a snapshot project: a path that exists nowhere, so a read that escaped the snapshot fails. */
export function snapshotRoot(commit: string): string {
  return path.join(path.parse(process.cwd()).root, '__baton_snapshot__', commit);
}

/** A module resolution host over a snapshot: files under the virtual root come from memory, others (lib files) from disk. */
function snapshotHost(
  root: string,
  files: ReadonlyMap<string, string>,
): Pick<ts.CompilerHost, 'fileExists' | 'readFile' | 'directoryExists' | 'getDirectories' | 'realpath'> {
  const dirs = new Set<string>([root]);
  for (const file of files.keys())
    for (let d = path.dirname(path.join(root, file)); d.length > root.length && !dirs.has(d); d = path.dirname(d))
      dirs.add(d);
  const inside = (p: string): string | undefined => {
    const rel = path.relative(root, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
  };
  return {
    fileExists: (p) => {
      const rel = inside(p);
      return rel === undefined ? ts.sys.fileExists(p) : files.has(rel);
    },
    readFile: (p) => {
      const rel = inside(p);
      return rel === undefined ? ts.sys.readFile(p) : files.get(rel);
    },
    directoryExists: (p) => (inside(p) === undefined ? ts.sys.directoryExists(p) : dirs.has(p)),
    getDirectories: (p) =>
      inside(p) === undefined
        ? ts.sys.getDirectories(p)
        : [...dirs].filter((d) => path.dirname(d) === p).map((d) => path.basename(d)),
    realpath: (p) => (inside(p) === undefined ? (ts.sys.realpath?.(p) ?? p) : p),
  };
}

/**
 * Creates a rename project for a folder (`root`) or a commit snapshot, using its tsconfig (repository-relative,
 * default `tsconfig.json`, else `jsconfig.json`, when present) for module resolution; files in folders with their own
 * tsconfig resolve with that one's options (see `createModuleResolver`).
 */
export function createRenameProject(
  source: string | ProjectFiles,
  options: { tsconfig?: string; maxCachedFiles?: number } = {},
): RenameProject {
  const files: ProjectFiles = typeof source === 'string' ? { kind: 'disk', root: source } : source;
  const absoluteRoot = files.kind === 'disk' ? path.resolve(files.root) : snapshotRoot(files.commit);
  const io = files.kind === 'snapshot' ? snapshotHost(absoluteRoot, files.files) : undefined;
  const readFile = (p: string): string | undefined => {
    if (io) return io.readFile(p);
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  // A JavaScript project says the same in jsconfig.json.
  const tsconfig =
    options.tsconfig !== undefined
      ? resolveInRepo(absoluteRoot, options.tsconfig)
      : (['tsconfig.json', 'jsconfig.json']
          .map((f) => path.join(absoluteRoot, f))
          .find((f) => readFile(f) !== undefined) ?? path.join(absoluteRoot, 'tsconfig.json'));
  const tsconfigText = readFile(tsconfig);
  const compilerOptions: ts.CompilerOptions = {
    ...(tsconfigText === undefined ? {} : readCompilerOptions(tsconfig, io)),
    // Global type packages do not change what an import resolves to; loading them per shard is pure cost.
    types: [],
    // No standard library (ts-morph keeps its lib files in memory, not where the compiler host looks, and a rename
    // needs none of Array's or the DOM's types); PROMISE_LIB stands in for the one part a use needs.
    noLib: true,
    noEmit: true,
    allowJs: true,
  };
  const maxCachedFiles = options.maxCachedFiles ?? 1_000;
  const host = ts.createCompilerHost(compilerOptions, true);
  if (io) Object.assign(host, io);
  const libDir = path.dirname(host.getDefaultLibFileName(compilerOptions));
  const promiseLib = path.join(libDir, 'baton-promise.d.ts');
  const cache = new Map<string, Cached>();
  const resolve = createModuleResolver({
    root: absoluteRoot,
    host,
    rootOptions: compilerOptions,
    workspace: () =>
      readWorkspacePackages({
        root: absoluteRoot,
        readFile,
        packageJsons: () =>
          files.kind === 'snapshot'
            ? [...files.files.keys()].filter((f) => f === 'package.json' || f.endsWith('/package.json'))
            : packageJsonsOnDisk(absoluteRoot),
      }),
  });

  host.getSourceFile = (fileName, languageVersion, onError) => {
    const text = fileName === promiseLib ? PROMISE_LIB : readFile(fileName);
    if (text === undefined) {
      onError?.(`cannot read ${fileName}`);
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
  // Imports resolve the way the project resolves them, with or without node_modules (see createModuleResolver).
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts, containingSourceFile) =>
    literals.map((literal) =>
      resolve(
        literal.text,
        containingFile,
        ts.getModeForUsageLocation(containingSourceFile, literal, opts),
        redirectedReference,
      ),
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
    readFile,
    options: compilerOptions,
    maxCachedFiles,
    program: (files) => {
      const program = ts.createProgram({ rootNames: [...files, promiseLib], options: compilerOptions, host });
      evict();
      return program;
    },
    cachedFiles: () => cache.size,
  };
}

/** Repository-relative package.json files of a folder, outside generated and vendored folders (and `node_modules`). */
function packageJsonsOnDisk(root: string): string[] {
  const skipped = new Set<string>(SKIPPED_FOLDERS);
  const found: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      // A folder that vanished or cannot be read holds no package the rename could resolve to.
      return;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory() && !skipped.has(entry.name)) walk(child);
      else if (entry.isFile() && entry.name === 'package.json') found.push(child);
    }
  };
  walk('');
  return found;
}
