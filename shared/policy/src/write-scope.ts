import picomatch from 'picomatch';

/**
 * Whether a repository-relative path is inside a subtask's write scope: a scope entry matches the
 * path itself, every path below it when it is a folder, or what it matches as a glob (dotfiles
 * included). An empty scope is the whole repository.
 * @example inWriteScope(['src/lib', 'test/**\/*.ts'], 'src/lib/a.ts') // true
 */
export function inWriteScope(scope: readonly string[], path: string): boolean {
  if (scope.length === 0) return true;
  return scope.some((entry) => {
    const folder = entry.replace(/\/+$/, '');
    return path === folder || path.startsWith(`${folder}/`) || picomatch(entry, { dot: true })(path);
  });
}
