import path from 'node:path';
import { ts } from 'ts-morph';
import { packageEntryTargets } from './package-entry-targets.js';
import { readCompilerOptions, type ConfigIo } from './tsconfig-options.js';
import type { WorkspacePackage } from './workspace-packages.js';

/** Resolves one import of a file the way the project does, without `node_modules` (see {@link createModuleResolver}). */
export type ResolveModule = (
  specifier: string,
  containingFile: string,
  mode: ts.ResolutionMode,
  redirectedReference: ts.ResolvedProjectReference | undefined,
) => ts.ResolvedModuleWithFailedLookupLocations;

/** What the resolver needs: the repository root, its files, the root options and the workspace's packages. */
export interface ModuleResolverInput {
  root: string;
  host: ts.ModuleResolutionHost & ConfigIo;
  /** Options of the root tsconfig (or the one the caller named): used where no nearer tsconfig is found. */
  rootOptions: ts.CompilerOptions;
  /** The workspace's packages by name; read on the first import of a bare name (most shards never need it). */
  workspace: () => ReadonlyMap<string, WorkspacePackage>;
}

interface FolderConfig {
  dir: string;
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
}

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const JS_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs'];
const KNOWN_EXTENSION = /(?:\.d)?\.(?:[cm]?[jt]sx?)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
/** Folders that usually hold a package's build output, mapped back to its sources when no tsconfig says where. */
const OUTPUT_FOLDERS = new Set(['dist', 'build', 'lib', 'out', 'esm', 'cjs', 'types', 'dts']);

/**
 * A module resolution for the rename's program that finds what the project's own tooling would, in a checkout with no
 * `node_modules` (a commit snapshot, a fresh clone):
 * - a workspace package name (`@acme/core`, `@acme/core/feature`) resolves to that package's folder, through its
 *   `exports` (any condition), `types`, `module`, `main` or `index`;
 * - each file resolves with the options of its nearest `tsconfig.json`/`jsconfig.json` (its `paths`, `baseUrl`,
 *   `moduleResolution`), as `tsc -b` over project references would;
 * - a target that is build output (`dist/index.d.ts`, `dist/index.js`, there or not) is taken back to its source:
 *   through the tsconfig's `outDir`/`rootDir`, else the usual `dist|build|lib|out` -> `src` layout. Source is preferred
 *   even when the build output exists: the rename edits sources, and a use bound to a `.d.ts` would be missed;
 * - a relative import TypeScript's mode refuses (`'.'`, `'..'`, a folder's `index` under NodeNext) resolves as Node's
 *   CommonJS and bundlers do: the file, with an extension added, or the folder's `index`.
 */
export function createModuleResolver(input: ModuleResolverInput): ResolveModule {
  const { root, host } = input;
  let packages: ReadonlyMap<string, WorkspacePackage> | undefined;
  const workspace = (): ReadonlyMap<string, WorkspacePackage> => (packages ??= input.workspace());
  const configs = new Map<string, FolderConfig>();
  const rootConfig: FolderConfig = {
    dir: root,
    options: input.rootOptions,
    cache: ts.createModuleResolutionCache(root, (f) => f, input.rootOptions),
  };
  const inRepo = (p: string): boolean => {
    const rel = path.relative(root, p);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
  };

  /** The nearest tsconfig.json or jsconfig.json at or above `dir` inside the repository (the root's: the given options). */
  const configFor = (dir: string): FolderConfig => {
    const known = configs.get(dir);
    if (known !== undefined) return known;
    let found: FolderConfig;
    if (dir === root || !inRepo(dir)) found = rootConfig;
    else {
      const file = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(dir, n)).find((f) => host.fileExists(f));
      if (file === undefined) found = configFor(path.dirname(dir));
      else {
        const options = { ...readCompilerOptions(file, host), types: [], noEmit: true, allowJs: true };
        found = { dir, options, cache: ts.createModuleResolutionCache(dir, (f) => f, options) };
      }
    }
    configs.set(dir, found);
    return found;
  };

  const firstFile = (stems: readonly string[], extensions: readonly string[]): string | undefined => {
    for (const stem of stems)
      for (const candidate of [
        ...extensions.map((e) => stem + e),
        ...extensions.map((e) => path.join(stem, `index${e}`)),
      ])
        if (host.fileExists(candidate)) return candidate;
    return undefined;
  };

  /**
   * Where the sources of a build-output path would be: the nearest tsconfig's outDir (or declarationDir) -> rootDir,
   * then, when `conventional`, the usual layout (`dist/x` -> `src/x`, then `x`) for packages built without one here.
   */
  const sourceStems = (stem: string, conventional: boolean): string[] => {
    const config = configFor(path.dirname(stem));
    const stems: string[] = [];
    const { outDir, declarationDir, rootDir } = config.options;
    const src = path.join(config.dir, 'src');
    const sourceRoot = rootDir ?? (host.directoryExists?.(src) === true ? src : config.dir);
    for (const out of [outDir, declarationDir]) {
      if (out === undefined) continue;
      const rel = path.relative(out, stem);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) stems.push(path.join(sourceRoot, rel));
    }
    const [first, ...rest] = path.relative(config.dir, stem).split(path.sep);
    if (conventional && first !== undefined && OUTPUT_FOLDERS.has(first) && rest.length > 0)
      stems.push(path.join(src, ...rest), path.join(config.dir, ...rest));
    return stems;
  };

  /**
   * The file a target path stands for, source first: a TypeScript source at the mapped or the same place, then the
   * JavaScript file itself, then its mapped place, then the target as it is (a hand-written `.d.ts`). `folder`: the
   * target is a folder (`'.'`), only its `index` counts.
   */
  const sourceOf = (target: string, options: { folder?: boolean; conventional?: boolean } = {}): string | undefined => {
    if (options.folder === true) return firstFile([path.join(target, 'index')], [...TS_EXTENSIONS, ...JS_EXTENSIONS]);
    const stem = target.replace(KNOWN_EXTENSION, '');
    const mapped = sourceStems(stem, options.conventional ?? true);
    const extension = path.extname(target);
    if (!DECLARATION.test(target) && TS_EXTENSIONS.includes(extension) && host.fileExists(target)) return target;
    const typescript = firstFile([...mapped, stem], TS_EXTENSIONS);
    if (typescript !== undefined) return typescript;
    if (JS_EXTENSIONS.includes(extension) && host.fileExists(target)) return target;
    return firstFile([stem, ...mapped], JS_EXTENSIONS) ?? (host.fileExists(target) ? target : undefined);
  };

  const resolveInWorkspace = (specifier: string): string | undefined => {
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const pkg = workspace().get(name);
    if (pkg === undefined) return undefined;
    const subpath = specifier === name ? '.' : `.${specifier.slice(name.length)}`;
    let fallback: string | undefined;
    for (const target of packageEntryTargets(pkg, subpath)) {
      const file = sourceOf(target);
      if (file === undefined) continue;
      if (!DECLARATION.test(file)) return file;
      fallback ??= file;
    }
    return fallback;
  };

  return (specifier, containingFile, mode, redirectedReference) => {
    const relative =
      specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative && !path.isAbsolute(specifier)) {
      const file = resolveInWorkspace(specifier);
      if (file !== undefined) return resolved(file);
    }
    const config = configFor(path.dirname(containingFile));
    const answer = ts.resolveModuleName(
      specifier,
      containingFile,
      config.options,
      host,
      config.cache,
      redirectedReference,
      mode,
    );
    const file = answer.resolvedModule?.resolvedFileName;
    if (file !== undefined) {
      // A declaration file of the repository's own build output stands for its source.
      if (DECLARATION.test(file) && inRepo(file)) {
        const source = sourceOf(file, { conventional: false });
        if (source !== undefined && !DECLARATION.test(source) && TS_EXTENSIONS.includes(path.extname(source)))
          return resolved(source);
      }
      return answer;
    }
    if (!relative) return answer;
    const target = path.resolve(path.dirname(containingFile), specifier);
    const folderOnly = specifier === '.' || specifier === '..' || specifier.endsWith('/');
    const found = sourceOf(target, { folder: folderOnly });
    return found === undefined ? answer : resolved(found);
  };
}

function resolved(file: string): ts.ResolvedModuleWithFailedLookupLocations {
  return {
    resolvedModule: {
      resolvedFileName: file,
      extension: extensionOf(file),
      isExternalLibraryImport: false,
      resolvedUsingTsExtension: false,
    },
  };
}

function extensionOf(file: string): ts.Extension {
  const declaration = /\.d\.([cm]?)ts$/.exec(file);
  if (declaration !== null)
    return ({ '': ts.Extension.Dts, m: ts.Extension.Dmts, c: ts.Extension.Dcts } as const)[
      declaration[1] as '' | 'm' | 'c'
    ];
  const byName: Record<string, ts.Extension> = {
    '.ts': ts.Extension.Ts,
    '.tsx': ts.Extension.Tsx,
    '.mts': ts.Extension.Mts,
    '.cts': ts.Extension.Cts,
    '.js': ts.Extension.Js,
    '.jsx': ts.Extension.Jsx,
    '.mjs': ts.Extension.Mjs,
    '.cjs': ts.Extension.Cjs,
  };
  return byName[path.extname(file)] ?? ts.Extension.Ts;
}
