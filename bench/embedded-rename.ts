/**
 * Part (c) of bench/run.bench.ts: the rename recipe over a generated repository through the embedded stack (memory
 * bus, planner, coordinator, one worker with N slots) against a single-process ts-morph rename of the same files.
 * Each side runs in its own child process (this script with `--child`), so wall time and peak RSS are per process.
 */
import { fork } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMemoryBroker } from '@baton/bus';
import { runGit } from '@baton/git';
import { RunSpec } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget } from '@baton/sample-repo';
import { startOrchestrationStack } from './orchestration-stack.js';
import { renameInOneProject } from './ts-morph-rename.js';

/** Settings of part (c). */
export interface RenameOptions {
  sizes: readonly number[];
  slots: number;
  target: number;
}

/** What a child reports. */
interface ChildResult {
  /** Stack started (embedded), or nothing (baseline). */
  startupMs: number;
  /** Submit to final status (embedded), or load + rename + save (baseline). */
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  status: string;
  subtasks: number;
  changed: number;
  /** Sum of the worker's startedAt..finishedAt over the run's subtasks (embedded). */
  workerMs: number;
  /** The embedded run's branch. */
  branch?: string;
}

const script = fileURLToPath(new URL('./run.bench.ts', import.meta.url));

/** Spawns this benchmark as a child running `--child <what> <dir>`; resolves with its report. */
function inChild(what: string, dir: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--child', what, dir], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as ChildResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`child ${what} exited with ${code}`));
    });
  });
}

function usage(): { cpuMs: number; maxRssMb: number } {
  const u = process.resourceUsage();
  return { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 };
}

async function embedded(dir: string, slots: number): Promise<ChildResult> {
  const t0 = performance.now();
  const broker = createMemoryBroker();
  const stack = await startOrchestrationStack(
    { planner: broker.connect(), coordinator: broker.connect(), worker: broker.connect() },
    slots,
    path.join(dir, '..', 'scratch'),
  );
  const startupMs = performance.now() - t0;
  try {
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: dir },
      recipe: { kind: 'rename', ...sampleRenameTarget, glob: 'packages/**/*.ts' },
      // No test commands: the plan's one repository-level tester runs nothing.
      testCommands: [],
      limits: { maxSubtasks: 100_000 },
    });
    const started = performance.now();
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);
    const ms = performance.now() - started;
    const { stdout } = await runGit(dir, ['diff', '--name-only', `${run.baseCommit}..${branch}`]);
    const changed = stdout.split('\n').filter(Boolean).length;
    const status = run.status === 'succeeded' ? 'succeeded' : `${run.status}: ${run.detail ?? ''}`.slice(0, 300);
    const workerMs = stack.results
      .filter((r) => r.runId === runId)
      .reduce((sum, r) => sum + (r.finishedAt - r.startedAt), 0);
    return { startupMs, ms, ...usage(), status, subtasks: Object.keys(run.subtasks).length, changed, workerMs, branch };
  } finally {
    await stack.stop();
    await broker.close();
  }
}

async function baseline(dir: string, files: readonly string[]): Promise<ChildResult> {
  const started = performance.now();
  const changed = await renameInOneProject(dir, files, sampleRenameTarget);
  return {
    startupMs: 0,
    ms: performance.now() - started,
    ...usage(),
    status: 'done',
    subtasks: 1,
    changed,
    workerMs: 0,
  };
}

/** The child side: `embedded:<slots>` or `baseline`, on the folder given after it. */
export async function runRenameChild(what: string): Promise<void> {
  const dir = process.argv[process.argv.indexOf(what) + 1]!;
  let result: ChildResult;
  if (what === 'baseline') {
    const { stdout } = await runGit(dir, ['ls-files', 'packages']);
    result = await baseline(
      dir,
      stdout.split('\n').filter((f) => f.endsWith('.ts')),
    );
  } else {
    result = await embedded(dir, Number(what.split(':')[1]));
  }
  process.send!(result, () => process.exit(0));
}

/** A shorthand property `{ from }` renamed keeping its key, as the recipe does, written the way a plain rename() writes it. */
function asPlainRename(text: string): string {
  return text.replaceAll(`${sampleRenameTarget.from}: ${sampleRenameTarget.to}`, sampleRenameTarget.to);
}

/** Files whose content differs between the embedded run's branch and the baseline's folder, and those differing beyond shorthand keys. */
async function differingFiles(
  repo: string,
  branch: string,
  baselineDir: string,
  files: readonly string[],
  work: string,
): Promise<{ all: string[]; other: string[] }> {
  const check = path.join(work, 'check');
  await runGit(repo, ['worktree', 'add', '-q', '--detach', check, branch]);
  const differing: string[] = [];
  const other: string[] = [];
  for (const f of files) {
    const [a, b] = await Promise.all([
      readFile(path.join(check, f), 'utf8'),
      readFile(path.join(baselineDir, f), 'utf8'),
    ]);
    if (a === b) continue;
    if (asPlainRename(a) !== b) other.push(f);
    if (differing.length === 0 || (other.length === 1 && other[0] === f)) {
      const left = a.split('\n');
      const right = b.split('\n');
      const i = left.findIndex((line, n) => line !== right[n]);
      console.log(`  first difference, ${f}:${i + 1}\n    embedded: ${left[i]}\n    single:   ${right[i]}`);
    }
    differing.push(f);
  }
  await runGit(repo, ['worktree', 'remove', '--force', check]);
  return { all: differing, other };
}

const s = (ms: number) => (ms / 1000).toFixed(1);

/** Runs part (c) and prints its table. */
export async function runRenamePart(options: RenameOptions): Promise<void> {
  const t0 = performance.now();
  console.log(
    `\n## (c) embedded rename (${sampleRenameTarget.from} -> ${sampleRenameTarget.to}, 10 packages, ${options.slots} worker slots) vs a single-process ts-morph rename`,
  );
  const rows: string[] = [];
  for (const size of options.sizes) {
    const work = await mkdtemp(path.join(os.tmpdir(), 'baton-run-bench-c-'));
    try {
      const g0 = performance.now();
      const repo = await generateSampleRepo(path.join(work, 'repo'), { files: size, packages: 10 });
      const baselineDir = path.join(work, 'baseline');
      await cp(repo.dir, baselineDir, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
      await runGit(baselineDir, ['init', '-q']);
      await runGit(baselineDir, ['add', '-A']);
      console.log(
        `${size} files generated in ${s(performance.now() - g0)} s; load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      const e = await inChild(`embedded:${options.slots}`, repo.dir);
      console.log(
        `  embedded: ${e.status}, ${e.subtasks} subtasks, ${e.changed} files changed, ${s(e.startupMs + e.ms)} s`,
      );
      const b = await inChild('baseline', baselineDir);
      console.log(`  single process: ${b.changed} files changed, ${s(b.ms)} s`);
      const differing =
        e.branch === undefined
          ? { all: [], other: [] }
          : await differingFiles(repo.dir, e.branch, baselineDir, repo.files, work);
      const wall = (e.startupMs + e.ms) / b.ms;
      const rss = e.maxRssMb / b.maxRssMb;
      rows.push(
        `| ${size} | ${e.status} | ${e.subtasks} | ${e.changed} / ${b.changed} | ${differing.all.length} (other: ${differing.other.length}) | ${s(e.startupMs)} + ${s(e.ms)} | ${s(e.workerMs / options.slots)} | ${s(b.ms)} | ${wall.toFixed(2)}x ${wall <= options.target ? 'ok' : 'OVER'} | ${e.maxRssMb.toFixed(0)} | ${b.maxRssMb.toFixed(0)} | ${rss.toFixed(2)}x ${rss <= options.target ? 'ok' : 'OVER'} | ${s(e.cpuMs)} / ${s(b.cpuMs)} |`,
      );
      if (differing.all.length > 0)
        console.log(
          `  files differing between the branch and the single-process result: ${differing.all.length}, of which ${differing.other.length} beyond shorthand keys`,
        );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  console.log(
    `\n| files | embedded run | subtasks | files changed (embedded / single) | files differing | embedded s (startup + run) | Σ worker time / slots s | single-process s | wall ratio (target ≤ ${options.target}) | embedded maxRSS MB | single maxRSS MB | RSS ratio (target ≤ ${options.target}) | CPU s in-process (embedded / single) |`,
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  console.log(
    'maxRSS is process.resourceUsage().maxRSS of each child process: the embedded one holds the coordinator, planner, worker',
  );
  console.log(
    'and its recipe worker threads (threads share the process); git child processes are not counted in either.',
  );
  console.log(
    "Σ worker time / slots: the worker's own time on the subtasks (recipe shards computed on its thread pool), as if the",
  );
  console.log(
    "slots never idled; the rest of the embedded wall time is planning, dispatch and merging the shards' diffs.",
  );
  console.log(
    "Files differing: the recipe keeps a shorthand property's key (`{ purry }` -> `{ purry: curryDataFirst }`), which a",
  );
  console.log(
    'plain ts-morph rename() changes (`{ curryDataFirst }`); "other" counts files that differ in any other way.',
  );
  console.log(`(part c took ${s(performance.now() - t0)} s)`);
}
