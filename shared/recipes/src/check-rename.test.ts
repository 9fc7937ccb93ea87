import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSampleRepo, generateWorkspaceRepo, sampleRenameTarget } from '@baton/sample-repo';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRename } from './check-rename.js';
import {
  AmbiguousRenameError,
  RenameCollisionError,
  RenameSourceNotFoundError,
  RenameTargetNotFoundError,
} from './errors.js';
import { createRenameProject } from './rename-project.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-check-rename-'));
  dirs.push(dir);
  return dir;
};
/** Writes `files` into a fresh folder and checks renaming `from` to `to` over all of them. */
async function check(files: Record<string, string>, from: string, to: string, declaredIn?: string) {
  const root = await tempDir();
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  const names = Object.keys(files);
  return () =>
    checkRename({
      project: createRenameProject(root),
      sources: names,
      files: names,
      from,
      to,
      ...(declaredIn === undefined ? {} : { declaredIn }),
    });
}
const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the check to throw');
};

describe('checkRename refuses a rename that cannot be right', () => {
  it('a from declared nowhere', async () => {
    const run = await check({ 'a.ts': `const purry = 1;\nexport const x = purry;\n// purry\n` }, 'purry', 'curry');
    const error = thrown(run);
    expect(error).toBeInstanceOf(RenameSourceNotFoundError);
    expect(error).toMatchObject({ from: 'purry', searched: 1 });
    expect(String(error)).toContain('purry is not declared anywhere');
  });

  it('a from declared in several files, listed, unless declaredIn says which', async () => {
    const files = {
      'a.ts': `export function purry(): number {\n  return 1;\n}\n`,
      'lib/b.ts': `// another\nexport const purry = 2;\n`,
      'c.ts': `import { purry } from './a.js';\nexport const y = purry();\n`,
    };
    const error = thrown(await check(files, 'purry', 'curry'));
    expect(error).toBeInstanceOf(AmbiguousRenameError);
    expect((error as AmbiguousRenameError).declarations).toEqual([
      { file: 'a.ts', line: 1 },
      { file: 'lib/b.ts', line: 2 },
    ]);
    expect(String(error)).toContain('--declared-in');
    expect((await check(files, 'purry', 'curry', 'lib/b.ts'))()).toEqual([{ file: 'lib/b.ts', line: 2 }]);
  });

  it('a declaredIn that does not declare from', async () => {
    const run = await check(
      { 'a.ts': `export const x = 1;\n`, 'b.ts': `export const purry = 1;\n` },
      'purry',
      'c',
      'a.ts',
    );
    expect(thrown(run)).toBeInstanceOf(RenameTargetNotFoundError);
  });

  it.each<{
    what: string;
    files: Record<string, string>;
    to: string;
    at: { file: string; line: number };
    existing: { file: string; line: number };
  }>([
    {
      what: 'a declaration of the same name in the declaring file (two `export const stop`)',
      files: { 'a.ts': `export const stop = 1;\nexport const halt = 2;\n` },
      to: 'stop',
      at: { file: 'a.ts', line: 2 },
      existing: { file: 'a.ts', line: 1 },
    },
    {
      what: 'a local of an importing file',
      files: {
        'a.ts': `export const halt = 2;\n`,
        'b.ts': `import { halt } from './a.js';\n\nconst stop = 1;\nexport const x = halt + stop;\n`,
      },
      to: 'stop',
      at: { file: 'b.ts', line: 1 },
      existing: { file: 'b.ts', line: 3 },
    },
    {
      what: 'a parameter that shadows it where it is used',
      files: {
        'a.ts': `export const halt = 2;\n`,
        'b.ts': `import { halt } from './a.js';\n\nexport function f(stop: number): number {\n  return halt + stop;\n}\n`,
      },
      to: 'stop',
      at: { file: 'b.ts', line: 4 },
      existing: { file: 'b.ts', line: 3 },
    },
    {
      what: 'an import of the same name',
      files: {
        'a.ts': `export const halt = 2;\n`,
        'c.ts': `export const stop = 3;\n`,
        'b.ts': `import { stop } from './c.js';\nimport { halt } from './a.js';\nexport const x = halt + stop;\n`,
      },
      to: 'stop',
      at: { file: 'b.ts', line: 2 },
      existing: { file: 'b.ts', line: 1 },
    },
    {
      what: 'an export of the same name re-exported beside it',
      files: {
        'a.ts': `export const halt = 2;\n`,
        'c.ts': `export const stop = 3;\n`,
        'index.ts': `export { stop } from './c.js';\nexport { halt } from './a.js';\n`,
      },
      to: 'stop',
      at: { file: 'index.ts', line: 2 },
      existing: { file: 'index.ts', line: 1 },
    },
  ])('a to that collides with $what', async ({ files, to, at, existing }) => {
    const error = thrown(await check(files, 'halt', to));
    expect(error).toBeInstanceOf(RenameCollisionError);
    expect(error).toMatchObject({ to, at, existing });
    expect(String(error)).toContain(`${at.file}:${at.line}`);
  });

  it('lets through a to that is only a string, a comment, a property of something else or another scope', async () => {
    const run = await check(
      {
        'a.ts': `export const halt = 2;\n// stop\nexport const label = 'stop';\n`,
        'b.ts': `import { halt } from './a.js';\nexport const o = { stop: 1 };\nexport const y = o.stop + halt;\nfunction g(stop: number): number {\n  return stop;\n}\nexport const z = g(1);\n`,
      },
      'halt',
      'stop',
    );
    expect(run()).toEqual([{ file: 'a.ts', line: 1 }]);
  });
});

describe('checkRename lets the generated repositories through', () => {
  it('the sample repository (with and without declaredIn) and the workspace repository', async () => {
    const sample = await generateSampleRepo(await tempDir(), { files: 120, packages: 3 });
    const project = createRenameProject(sample.dir);
    const { from, to, declaredIn } = sampleRenameTarget;
    const input = { project, sources: sample.files, files: sample.files, from, to };
    expect(checkRename(input)).toEqual([{ file: declaredIn, line: 5 }]);
    expect(checkRename({ ...input, declaredIn })).toEqual([{ file: declaredIn, line: 5 }]);
    const workspace = await generateWorkspaceRepo(await tempDir());
    const { rename } = workspace;
    expect(
      checkRename({
        project: createRenameProject(workspace.dir),
        sources: workspace.files,
        files: workspace.files,
        from: rename.from,
        to: rename.to,
      }),
    ).toEqual([{ file: rename.declaredIn, line: 3 }]);
  });
});
