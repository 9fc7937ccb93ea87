/**
 * Recipe benchmark: a semantic rename (`purry` -> `curryDataFirst`) over a generated 1,000-file repository, sharded
 * (~50 files per shard) and run on the @baton/recipes worker-thread pool at 1, 2 and 4 slots, next to a
 * single-process ts-morph rename of the same files (one Project, `rename()` of the declaration, save) in the same run.
 * Every case runs in its own child process on its own copy of the repository, so peak RSS is per case.
 * Run: `npm run bench:recipe` (BENCH_FILES, BENCH_SHARD_FILES, BENCH_VERIFY=0 to skip typechecking the results).
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRecipePool, shardFiles, writeFileChanges } from '@baton/recipes';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { execa } from 'execa';
import { Project } from 'ts-morph';

const FILES = Number(process.env.BENCH_FILES ?? 1_000);
const SHARD_FILES = Number(process.env.BENCH_SHARD_FILES ?? 50);
const VERIFY = process.env.BENCH_VERIFY !== '0';
const SLOTS = [1, 2, 4] as const;

interface CaseResult {
  name: string;
  /** Pool threads started and each given a first one-file task (ts-morph loaded, lib parsed). */
  startupMs: number;
  /** The rename itself, after startup. */
  ms: number;
  cpuMs: number;
  files: number;
  changed: number;
  shards: number;
  peakRssMb: number;
  maxRssMb: number;
  digest: string;
}

async function treeDigest(
  dir: string,
  files: readonly string[],
): Promise<{ digest: string; contents: Map<string, string> }> {
  const hash = createHash('sha256');
  const contents = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    contents.set(file, text);
    hash.update(file).update('\0').update(text).update('\0');
  }
  return { digest: hash.digest('hex').slice(0, 12), contents };
}

/** Runs one case in this (child) process and returns its measurements. */
async function runCase(name: string, dir: string, files: string[]): Promise<CaseResult> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  let started = performance.now();
  let startupMs = 0;
  let changed = 0;
  let shards = 1;
  if (name === 'single') {
    const project = new Project({
      tsConfigFilePath: path.join(dir, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
    });
    project.addSourceFilesAtPaths(files.map((f) => path.join(dir, f)));
    project
      .getSourceFileOrThrow(path.join(dir, sampleRenameTarget.declaredIn))
      .getFunctionOrThrow(sampleRenameTarget.from)
      .rename(sampleRenameTarget.to);
    changed = project.getSourceFiles().filter((f) => !f.isSaved()).length;
    await project.save();
  } else {
    const threads = Number(name.split(':')[1]);
    const sized = await Promise.all(files.map(async (f) => ({ path: f, size: (await stat(path.join(dir, f))).size })));
    const plan = shardFiles(sized, { maxFiles: SHARD_FILES, maxBytes: 1 << 20 });
    shards = plan.length;
    const pool = createRecipePool({ threads });
    const recipe = { kind: 'rename', ...sampleRenameTarget, glob: '**/*.ts', comments: false } as const;
    await Promise.all(
      Array.from({ length: threads }, () => pool.preview(dir, { recipe, files: [sampleRenameTarget.declaredIn] })),
    );
    startupMs = performance.now() - started;
    started = performance.now();
    // Every shard sees the base (as in its own worktree); the changes are written once all are computed, as merging would.
    const results = await Promise.all(plan.map((shard) => pool.preview(dir, { recipe, files: shard })));
    changed = (
      await writeFileChanges(
        dir,
        results.flatMap((r) => r.changed),
      )
    ).length;
    await pool.destroy();
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  const usage = process.resourceUsage();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const { digest } = await treeDigest(dir, files);
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  return {
    name,
    startupMs,
    ms,
    cpuMs,
    files: files.length,
    changed,
    shards,
    peakRssMb: peakRss / 2 ** 20,
    maxRssMb: usage.maxRSS / 1024,
    digest,
  };
}

function inChild(name: string, dir: string, files: string[]): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--case', name, dir], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as CaseResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`case ${name} exited with ${code}`));
    });
    child.send(files);
  });
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'baton-recipe-bench-'));
  try {
    const t0 = performance.now();
    const base: SampleRepo = await generateSampleRepo(path.join(work, 'base'), {
      files: FILES,
      packages: 10,
      git: false,
    });
    const genMs = performance.now() - t0;
    console.log(
      `generated ${base.files.length} files in ${genMs.toFixed(0)} ms; ${os.availableParallelism()} cores; node ${process.version}`,
    );
    const results: CaseResult[] = [];
    console.log(
      `load average before the cases: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    for (const name of ['single', ...SLOTS.map((s) => `pool:${s}`)]) {
      const dir = path.join(work, name.replace(':', '-'));
      await cp(base.dir, dir, { recursive: true });
      results.push(await inChild(name, dir, base.files));
    }
    const single = results[0]!;
    console.log(
      '\n| case | shards | changed | startup ms | rename ms | total ms | files/s (rename) | files/s (total) | CPU s | peak RSS MB (sampled) | maxRSS MB | total vs single |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const total = (r: CaseResult) => r.startupMs + r.ms;
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.shards} | ${r.changed} | ${r.startupMs.toFixed(0)} | ${r.ms.toFixed(0)} | ${total(r).toFixed(0)} | ${((r.files / r.ms) * 1000).toFixed(0)} | ${((r.files / total(r)) * 1000).toFixed(0)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.maxRssMb.toFixed(0)} | ${(total(single) / total(r)).toFixed(2)}x |`,
      );
    }
    const pool1 = results.find((r) => r.name === 'pool:1')!;
    for (const r of results.filter((x) => x.name.startsWith('pool:') && x !== pool1)) {
      console.log(
        `${r.name} vs pool:1: rename ${(pool1.ms / r.ms).toFixed(2)}x as fast, peak memory ${(r.maxRssMb / pool1.maxRssMb).toFixed(2)}x`,
      );
    }
    console.log(
      `load average after the cases: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const same = results.every((r) => r.name === 'single' || r.digest === results[1]!.digest);
    console.log(`pool outputs identical at every slot count: ${same ? 'yes' : 'NO'}`);
    const differing = await differingFiles(path.join(work, 'single'), path.join(work, 'pool-1'), base.files);
    console.log(
      `files where pool and single-process output differ: ${differing.length}${differing.length > 0 ? ` (e.g. ${differing[0]})` : ''}`,
    );
    if (VERIFY) {
      for (const name of ['single', 'pool-4']) {
        const check = await execa(base.commands.typecheck, {
          shell: true,
          cwd: path.join(work, name),
          reject: false,
          all: true,
        });
        console.log(
          `typecheck after ${name}: ${check.exitCode === 0 ? 'pass' : `FAIL\n${check.all.split('\n').slice(0, 5).join('\n')}`}`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function differingFiles(a: string, b: string, files: readonly string[]): Promise<string[]> {
  const [left, right] = await Promise.all([treeDigest(a, files), treeDigest(b, files)]);
  const differing = files.filter((f) => left.contents.get(f) !== right.contents.get(f));
  const first = differing[0];
  if (first !== undefined) {
    const l = left.contents.get(first)!.split('\n');
    const r = right.contents.get(first)!.split('\n');
    const i = l.findIndex((line, n) => line !== r[n]);
    console.log(`first difference, ${first}:${i + 1}\n  single: ${l[i]}\n  pool:   ${r[i]}`);
  }
  return differing;
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) {
  const name = process.argv[caseIndex + 1]!;
  const dir = process.argv[caseIndex + 2]!;
  process.once('message', (files) => {
    void runCase(name, dir, files as string[]).then((result) => process.send!(result, () => process.exit(0)));
  });
} else {
  await main();
}
