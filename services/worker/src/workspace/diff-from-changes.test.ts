import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '@baton/git';
import { afterEach, describe, expect, it } from 'vitest';
import { blobId, diffFromChanges } from './diff-from-changes.js';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('diffFromChanges', () => {
  it('computes git blob ids', async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-blob-'));
    await writeFile(join(dir, 'f'), 'héllo\n');
    const { stdout } = await runGit(dir, ['hash-object', join(dir, 'f')]);
    expect(blobId('héllo\n')).toBe(stdout.trim());
  });

  it('produces a diff git applies, including a file without a final newline', async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-diff-'));
    const g = (...args: string[]) => runGit(dir, args);
    await g('init', '-q', '-b', 'main');
    const a = 'import { purry } from "./p";\nexport const x = purry(1);\n';
    const b = 'line 1\nline 2\nno newline';
    await writeFile(join(dir, 'a.ts'), a);
    await writeFile(join(dir, 'b.txt'), b);
    await g('add', '.');
    await g('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    const diff = diffFromChanges([
      { path: 'a.ts', before: a, after: a.replaceAll('purry', 'curryDataFirst') },
      { path: 'b.txt', before: b, after: 'line 1\nline two\nno newline' },
      { path: 'same.ts', before: 'x', after: 'x' },
    ]);
    expect(diff).toContain('diff --git a/a.ts b/a.ts');
    expect(diff).not.toContain('same.ts');
    await runGit(dir, ['apply', '--3way', '-'], { input: diff });
    expect(await readFile(join(dir, 'a.ts'), 'utf8')).toBe(a.replaceAll('purry', 'curryDataFirst'));
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('line 1\nline two\nno newline');
  });
});
