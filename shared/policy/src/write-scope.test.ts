import { describe, expect, it } from 'vitest';
import { inWriteScope } from './write-scope.js';

describe('inWriteScope', () => {
  it('matches files, folders and globs of the scope, and nothing else', () => {
    const scope = ['src/lib', 'docs/', 'test/**/*.ts', 'README.md'];
    expect(inWriteScope(scope, 'src/lib/a.ts')).toBe(true);
    expect(inWriteScope(scope, 'src/lib')).toBe(true);
    expect(inWriteScope(scope, 'docs/.hidden')).toBe(true);
    expect(inWriteScope(scope, 'test/deep/x.ts')).toBe(true);
    expect(inWriteScope(scope, 'README.md')).toBe(true);
    expect(inWriteScope(scope, 'src/library/a.ts')).toBe(false);
    expect(inWriteScope(scope, 'test/x.js')).toBe(false);
    expect(inWriteScope(scope, 'package.json')).toBe(false);
  });
  it('treats an empty scope as the whole repository', () => {
    expect(inWriteScope([], 'anything/at/all')).toBe(true);
  });
});
