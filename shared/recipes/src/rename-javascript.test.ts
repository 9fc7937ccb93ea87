import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateJavaScriptRepo } from '@baton/sample-repo';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { readCommitFiles } from './commit-files.js';
import { writeFileChanges } from './file-change.js';
import { recipeFileFilter } from './recipe-files.js';
import { renameInFiles } from './rename-in-files.js';
import { createRenameProject } from './rename-project.js';

let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('renames across a JavaScript repository with no glob: .js .mjs .jsx .cjs, not vendor/ or dist/', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'baton-rename-js-'));
  const repo = await generateJavaScriptRepo(dir);
  const files = repo.files.filter(recipeFileFilter(undefined));
  expect(files).toEqual([
    'src/card.jsx',
    'src/format.js',
    'src/index.mjs',
    'src/lazy.cjs',
    'test/format.test.mjs',
    'types/node-test.d.ts',
  ]);
  const project = createRenameProject({ kind: 'snapshot', commit: 'HEAD', files: await readCommitFiles(dir, 'HEAD') });
  const { changed } = renameInFiles({ project, files, from: repo.rename.from, to: repo.rename.to });
  expect(changed.map((c) => c.path).sort()).toEqual(repo.rename.changes);
  const after = new Map(changed.map((c) => [c.path, c.after]));
  expect(after.get('src/format.js')).toContain(
    `// formatName: joins a first and a last name (see "formatName" in the docs).`,
  );
  expect(after.get('src/format.js')).toContain('export function fullName(first, last) {');
  expect(after.get('src/index.mjs')).toBe(
    `export { fullName } from './format.js';\nexport const kind = 'formatName';\n`,
  );
  expect(after.get('src/lazy.cjs')).toContain(
    `const format = await import('./format.js');\n  return format.fullName(a, b);`,
  );
  expect(after.get('test/format.test.mjs')).toContain(`assert.equal(api.fullName('Ada', 'Lovelace'), 'Ada Lovelace');`);

  await writeFileChanges(dir, changed);
  await execa(repo.commands.typecheck, { shell: true, cwd: dir });
  const test = await execa(repo.commands.test, { shell: true, cwd: dir, all: true });
  expect(test.all).toMatch(/# fail 0/);
}, 60_000);
