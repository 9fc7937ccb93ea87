import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RunSpec } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget } from '@baton/sample-repo';
import { executeRun } from './run.js';

/** Options of `baton demo`. */
export interface DemoOptions {
  files?: number;
  workers?: number;
  dir?: string;
}

/**
 * `baton demo`: writes a sample TypeScript repository (packages, tests, a `purry` helper used
 * everywhere) and runs the rename recipe `purry` -> `curryDataFirst` on it, embedded, with the
 * repository's typecheck and tests as the testers' commands. Prints where the repository and branch are.
 */
export async function demoCommand(opts: DemoOptions): Promise<void> {
  const dir = opts.dir ? resolve(opts.dir) : join(await mkdtemp(join(tmpdir(), 'baton-demo-')), 'repo');
  const files = opts.files ?? 300;
  process.stderr.write(`creating a sample repository with ${files} files in ${dir}…\n`);
  const repo = await generateSampleRepo(dir, { files, packages: Math.max(2, Math.min(10, Math.round(files / 50))) });
  const spec = RunSpec.parse({
    v: 1,
    repo: { path: repo.dir },
    task: `rename ${sampleRenameTarget.from} to ${sampleRenameTarget.to} everywhere`,
    recipe: { kind: 'rename', ...sampleRenameTarget, glob: 'packages/**/*.ts' },
    testCommands: [repo.commands.typecheck, repo.commands.test],
  });
  const run = await executeRun(spec, { workers: opts.workers ?? 4 });
  process.stdout.write(`\nrepository: ${repo.dir}\n`);
  if (run.branch) process.stdout.write(`see the change: git -C ${repo.dir} diff main...${run.branch}\n`);
  process.exitCode = run.status === 'succeeded' ? 0 : 1;
}
