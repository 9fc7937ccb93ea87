import path from 'node:path';
import picomatch from 'picomatch';
import { SKIPPED_FOLDERS } from './recipe-files.js';

/** A package of the repository's workspace, as module resolution needs it. */
export interface WorkspacePackage {
  name: string;
  /** Absolute folder of its package.json. */
  dir: string;
  /** The manifest fields that say where its modules are (`exports`, `main`, `types`, `typings`, `module`). */
  manifest: Record<string, unknown>;
}

/** What reading the workspace needs: a file reader and the repository's package.json files. */
export interface WorkspaceSource {
  /** The repository root (absolute). */
  root: string;
  readFile(absolute: string): string | undefined;
  /** Repository-relative paths of every package.json outside `node_modules`. */
  packageJsons(): readonly string[];
}

/**
 * The workspace packages of a repository by name, found the way npm, yarn and pnpm find them: the root package.json's
 * `workspaces` (an array, or yarn's `{ packages }`) and `pnpm-workspace.yaml`'s `packages`, `!` patterns excluding.
 * When neither can be read (a commit snapshot holds no `.yaml`), every named package.json outside `node_modules` is
 * taken: in a monorepo those are its packages, and a name no import uses changes nothing. Package.json files in
 * generated or vendored folders (`SKIPPED_FOLDERS`) are never packages of the workspace.
 */
export function readWorkspacePackages(source: WorkspaceSource): Map<string, WorkspacePackage> {
  const patterns = workspacePatterns(source);
  const include = patterns?.filter((p) => !p.startsWith('!')).map(folderPattern) ?? ['**'];
  const exclude = patterns?.filter((p) => p.startsWith('!')).map((p) => folderPattern(p.slice(1))) ?? [];
  const included = picomatch(include);
  const excluded = exclude.length === 0 ? () => false : picomatch(exclude);
  const packages = new Map<string, WorkspacePackage>();
  const skipped = new Set<string>(SKIPPED_FOLDERS);
  for (const file of [...source.packageJsons()].sort()) {
    const dir = path.posix.dirname(file);
    if (dir === '.' || !included(dir) || excluded(dir) || dir.split('/').some((d) => skipped.has(d))) continue;
    const manifest = parseJson(source.readFile(path.join(source.root, file)));
    const name = manifest?.name;
    // The first folder (in path order) keeps a name declared twice, as a package manager would refuse the second.
    if (typeof name === 'string' && !packages.has(name))
      packages.set(name, { name, dir: path.join(source.root, dir), manifest: manifest! });
  }
  return packages;
}

/** The declared workspace globs, or undefined when the repository declares none that can be read. */
function workspacePatterns(source: WorkspaceSource): string[] | undefined {
  const root = parseJson(source.readFile(path.join(source.root, 'package.json')));
  const declared = root?.workspaces;
  const fromJson: unknown =
    declared !== null && typeof declared === 'object' && !Array.isArray(declared)
      ? (declared as { packages?: unknown }).packages
      : declared;
  const pnpm = source.readFile(path.join(source.root, 'pnpm-workspace.yaml'));
  const fromYaml = pnpm === undefined ? undefined : pnpmPackages(pnpm);
  if (!Array.isArray(fromJson) && fromYaml === undefined) return undefined;
  const listed: unknown[] = Array.isArray(fromJson) ? fromJson : [];
  return [...listed, ...(fromYaml ?? [])].filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/** A workspace glob as a folder pattern: `./packages/*` and `packages/*\/` both become `packages/*`. */
function folderPattern(pattern: string): string {
  return pattern.replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * The `packages:` list of a pnpm-workspace.yaml: a block sequence (`  - 'packages/*'`) or a flow one
 * (`packages: [a, b]`). Only this key is read, so a small reader does instead of a YAML dependency.
 */
export function pnpmPackages(yaml: string): string[] {
  const unquote = (s: string): string => s.trim().replace(/^(['"])(.*)\1$/, '$2');
  const lines = yaml.split(/\r?\n/).map((l) => l.replace(/\s+#.*$/, ''));
  const at = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (at < 0) return [];
  const inline = lines[at]!.replace(/^packages\s*:\s*/, '');
  if (inline.startsWith('['))
    return inline
      .replace(/^\[|\]\s*$/g, '')
      .split(',')
      .map(unquote)
      .filter((p) => p.length > 0);
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '') continue;
    const item = /^\s+-\s*(.+)$/.exec(line);
    if (item === null) break;
    out.push(unquote(item[1]!));
  }
  return out;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // A broken package.json declares no package a module could resolve to.
    return undefined;
  }
}
