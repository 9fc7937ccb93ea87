import path from 'node:path';
import picomatch from 'picomatch';

/**
 * Normalizes a repository-relative path (`./src/a.ts` -> `src/a.ts`); undefined when it leaves the
 * repository (absolute, `~`, or `..` escaping the root).
 */
export function normalizeRepoPath(p: string): string | undefined {
  if (p === '' || p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:[\\/]/.test(p)) return undefined;
  const n = path.posix.normalize(p.replaceAll('\\', '/'));
  if (n === '..' || n.startsWith('../')) return undefined;
  return n === '.' ? '' : n.replace(/\/$/, '');
}

/**
 * Compiles a gitignore-style glob relative to the repository: a pattern without an inner `/` matches at any
 * depth, a leading `/` anchors it at the root, and a directory pattern also covers everything below it.
 * Patterns naming paths outside the repository (`~/...`, `//abs`) never match: such paths are refused anyway.
 * Deny and ask rules match without case (`nocase`), since a case-insensitive disk reads `SECRETS/x` as `secrets/x`.
 */
export function compilePathPattern(spec: string, options: { nocase?: boolean } = {}): (repoPath: string) => boolean {
  if (spec.startsWith('~') || spec.startsWith('//')) return () => false;
  let p = spec.startsWith('./') ? spec.slice(2) : spec;
  const anchored = p.startsWith('/') || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!anchored && !p.startsWith('**')) p = `**/${p}`;
  const isMatch = picomatch([p, `${p}/**`], { dot: true, nocase: options.nocase === true });
  return (repoPath) => isMatch(repoPath);
}
