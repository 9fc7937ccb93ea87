import path from 'node:path';
import type { WorkspacePackage } from './workspace-packages.js';

/**
 * The files a workspace package's manifest names for `subpath` (`.` or `./feature`), absolute, best first, not checked
 * for existence: every target of `exports` reachable under any condition (in the manifest's order: a rename wants the
 * source whichever condition a build would pick, and the caller prefers the one with a TypeScript source), else
 * `types`/`typings`/`module`/`main` for the root, else the subpath as a path in the package.
 */
export function packageEntryTargets(pkg: WorkspacePackage, subpath: string): string[] {
  const exports = pkg.manifest.exports;
  if (exports !== undefined && exports !== null) {
    const targets = exportTargets(exports, subpath);
    // A package with `exports` exposes nothing else: an unlisted subpath does not resolve.
    return targets.map((t) => path.join(pkg.dir, t));
  }
  if (subpath === '.') {
    const fields = ['types', 'typings', 'module', 'main'].map((f) => pkg.manifest[f]);
    const named = fields.filter((f): f is string => typeof f === 'string' && f.length > 0);
    return [...named, 'index'].map((t) => path.join(pkg.dir, t));
  }
  return [path.join(pkg.dir, subpath)];
}

/** Targets of `exports` for `subpath`: a string, an array, a conditions object, or a subpath map (with `*` patterns). */
function exportTargets(exports: unknown, subpath: string): string[] {
  const isSubpathMap =
    exports !== null &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? leaves(exports, undefined) : [];
  const map = exports as Record<string, unknown>;
  if (subpath in map) return leaves(map[subpath], undefined);
  // The longest pattern prefix wins, as in Node's PATTERN_KEY_COMPARE.
  const patterns = Object.keys(map)
    .filter((k) => k.includes('*'))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*') || b.length - a.length);
  for (const key of patterns) {
    const [prefix = '', suffix = ''] = key.split('*', 2);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length)
      return leaves(map[key], subpath.slice(prefix.length, subpath.length - suffix.length));
  }
  // Legacy folder mappings (`"./lib/": "./lib/"`).
  for (const key of Object.keys(map).filter((k) => k.endsWith('/')))
    if (subpath.startsWith(key)) return leaves(map[key], undefined).map((t) => t + subpath.slice(key.length));
  return [];
}

/** Every relative target string under a conditions tree, in order, `*` replaced by `star`. */
function leaves(value: unknown, star: string | undefined): string[] {
  if (typeof value === 'string')
    return value.startsWith('./') ? [star === undefined ? value : value.replaceAll('*', star)] : [];
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, star));
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap((v) => leaves(v, star));
  return [];
}
