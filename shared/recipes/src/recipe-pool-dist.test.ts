import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleRepo, sampleRenameTarget } from '@baton/sample-repo';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const cleanup: string[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

describe('createRecipePool from compiled JavaScript', () => {
  it('finds recipe-worker.js beside the compiled pool and runs a program with plain node', async () => {
    // Compiled inside the package so the output resolves ts-morph and piscina from node_modules like dist/ does.
    const out = await mkdtemp(path.join(packageDir, '.dist-test-'));
    const repoDir = await mkdtemp(path.join(os.tmpdir(), 'baton-pool-dist-'));
    cleanup.push(out, repoDir);
    const build = ['-p', 'tsconfig.build.json', '--outDir', out, '--tsBuildInfoFile', path.join(out, 'tsbuildinfo')];
    await execa(
      'node',
      [
        tsc,
        ...build,
        '--composite',
        'false',
        '--declaration',
        'false',
        '--declarationMap',
        'false',
        '--sourceMap',
        'false',
      ],
      {
        cwd: packageDir,
        reject: false,
      },
    );
    const repo = await generateSampleRepo(repoDir, { files: 12, packages: 2, git: false });
    const program = {
      recipe: { kind: 'rename', ...sampleRenameTarget, glob: '**/*.ts', comments: false },
      files: repo.files,
    };
    const script = [
      `import { createRecipePool } from ${JSON.stringify(path.join(out, 'index.js'))};`,
      `const pool = createRecipePool({ threads: 1 });`,
      `const result = await pool.run(${JSON.stringify(repoDir)}, ${JSON.stringify(program)});`,
      `await pool.destroy();`,
      `console.log(JSON.stringify(result));`,
    ].join('\n');
    const run = await execa('node', ['--input-type=module', '-e', script], { cwd: packageDir });
    const { filesChanged } = JSON.parse(run.stdout) as { filesChanged: string[] };
    expect(filesChanged).toContain(sampleRenameTarget.declaredIn);
    expect(await readFile(path.join(repoDir, sampleRenameTarget.declaredIn), 'utf8')).toContain(
      'export function curryDataFirst(',
    );
  });
});
