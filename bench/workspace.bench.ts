/**
 * Workspace benchmark: what it costs to hand an attempt a ready worktree (the commit checked out, the project's
 * `node_modules` in place) on a generated repository of 10,000 tracked files with an ignored `node_modules` of 20,000
 * files, against the obvious way measured in the same run: `git clone --shared` + checkout + `cp -r node_modules`.
 * File sizes are drawn from Baton's own checkout (its tracked files for the sources, its `node_modules` for the
 * dependencies), so the disk figures are those of a real project's.
 *
 * Cases, each timed and its added disk measured (`du` of everything it created, hard links counted once):
 * - baseline: clone --shared + checkout + cp -r node_modules (median of BENCH_ROUNDS);
 * - cold: the first attempt on a worker (prepares the environment: a copy of the user's node_modules, once per
 *   worker and key; then a fresh worktree);
 * - warm: a later attempt (the worktree an earlier attempt used, reset and cleaned; the environment handed over);
 * - per concurrent attempt: 4 attempts held at once, the disk they add beyond the prepared environment, each.
 * for both isolations (overlay in a user+mount namespace; hard-link copies). Run: `npm run bench:workspace`
 * (BENCH_TRACKED, BENCH_MODULES, BENCH_ROUNDS).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runGit } from '@baton/git';
import { silentLogger } from '@baton/log';
import { runCommand } from '@baton/tools';
import { Isolation, WorktreeEnvironments, type AttemptWorktree } from '@baton/worker';
import { execa } from 'execa';

const TRACKED = Number(process.env.BENCH_TRACKED ?? 10_000);
const MODULES = Number(process.env.BENCH_MODULES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENT = 4;
const batonRoot = fileURLToPath(new URL('..', import.meta.url));

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sizes of real files: `find -printf %s` under `dir` (of Baton's checkout), sorted, to draw from. */
async function sizesOf(args: string[]): Promise<number[]> {
  const r = await execa('sh', ['-c', ...args], { cwd: batonRoot });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((n) => n > 0 && n < 2_000_000);
}

async function writeFiles(
  root: string,
  count: number,
  sizes: number[],
  next: () => number,
  name: (i: number) => string,
) {
  const filler = 'export const value = 1; // generated\n'.repeat(60_000);
  for (let i = 0; i < count; i++) {
    const file = path.join(root, name(i));
    if (i % 50 === 0) await mkdir(path.dirname(file), { recursive: true });
    const size = sizes[Math.floor(next() * sizes.length)]!;
    await writeFile(file, `// ${name(i)}\n${filler.slice(0, size)}`);
  }
}

async function du(...paths: string[]): Promise<number> {
  const dirs = paths.filter((p) => existsSync(p));
  const r = await execa('du', ['-skc', ...dirs]);
  return Number(r.stdout.trim().split('\n').at(-1)!.split('\t')[0]) * 1024;
}

const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const root = await mkdtemp(path.join(os.tmpdir(), 'baton-bench-workspace-'));
try {
  console.log(`generating: ${TRACKED} tracked files, node_modules of ${MODULES} files (sizes drawn from Baton's own)`);
  const next = random(42);
  const src = path.join(root, 'repo');
  await writeFiles(
    src,
    TRACKED,
    await sizesOf(["git ls-files -z | xargs -0 stat -c '%s'"]),
    next,
    (i) => `packages/p${Math.floor(i / 1000)}/src/d${Math.floor(i / 50) % 20}/f${i}.ts`,
  );
  await writeFiles(
    src,
    MODULES,
    await sizesOf(["find node_modules -type f -printf '%s\\n'"]),
    next,
    (i) => `node_modules/pkg${Math.floor(i / 50)}/lib/f${i}.js`,
  );
  await writeFile(path.join(src, '.gitignore'), 'node_modules\n');
  await writeFile(path.join(src, 'package.json'), '{"name":"bench","private":true}\n');
  await writeFile(path.join(src, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
  const git = (...args: string[]) =>
    runGit(src, args, {
      env: { GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' },
    });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'gc.auto=0', 'commit', '-qm', 'base');
  await git('gc', '-q');
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  const repoBytes = await du(path.join(src, '.git'), ...(await trackedTop(src)));
  const modulesBytes = await du(path.join(src, 'node_modules'));
  console.log(`repository (checkout + .git): ${mb(repoBytes)}; node_modules: ${mb(modulesBytes)}`);

  const reflink = await execa('cp', ['--reflink=always', path.join(src, 'package.json'), path.join(root, 'r')], {
    reject: false,
  });
  console.log(`copy-on-write (cp --reflink=always): ${reflink.exitCode === 0 ? 'supported' : 'not supported here'}`);

  // Baseline: a fresh clone and a full copy of node_modules per attempt.
  const base: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const dst = path.join(root, `baseline-${i}`);
    const [, t] = await time(async () => {
      await execa('sh', [
        '-c',
        'git clone -q --shared --no-checkout -- "$1" "$2" && git -C "$2" checkout -q --detach "$3" && cp -r "$1/node_modules" "$2/node_modules"',
        'sh',
        src,
        dst,
        commit,
      ]);
    });
    base.push({ ms: t, bytes: await du(dst) });
    await rm(dst, { recursive: true, force: true });
  }
  const baseMs = median(base.map((b) => b.ms));
  const baseBytes = median(base.map((b) => b.bytes));

  const rows: string[][] = [['case', 'time', 'added disk', 'time / baseline', 'disk / (repo + node_modules)']];
  const total = repoBytes + modulesBytes;
  rows.push([
    'baseline: clone --shared + checkout + cp -r',
    ms(baseMs),
    mb(baseBytes),
    '1.00',
    (baseBytes / total).toFixed(3),
  ]);
  const ratios: Record<string, { warm: number; disk: number }> = {};

  for (const isolation of [Isolation.overlay, Isolation.hardLink]) {
    const dir = path.join(root, `worker-${isolation}`);
    const envs = new WorktreeEnvironments({ dir, log: silentLogger(), isolation });
    const req = { repo: src, checkout: src, commit, config: {}, installOnManifestChange: true };
    const [first, cold] = await time(() => envs.acquire(req));
    const coldBytes = await du(dir);
    const attempt = async (tree: AttemptWorktree) => {
      // What an attempt typically leaves: a cache in node_modules, a build output, an edited source file.
      const r = await runCommand(
        'mkdir -p node_modules/.vite && echo c > node_modules/.vite/cache && mkdir -p dist && echo o > dist/out.js && echo "// edit" >> packages/p0/src/d0/f0.ts',
        { cwd: tree.dir, timeoutMs: 60_000, ...(tree.launch ? { launch: tree.launch } : {}) },
      );
      if (r.exitCode !== 0) throw new Error(`attempt command failed: ${r.stderr}`);
      await tree.release();
    };
    await attempt(first);
    const warm: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const [tree, t] = await time(() => envs.acquire(req));
      warm.push(t);
      await attempt(tree);
    }
    const warmMs = median(warm);
    // Concurrent attempts: what each adds beyond the prepared environment (one du: shared inodes counted once).
    const held = await Promise.all(Array.from({ length: CONCURRENT }, () => envs.acquire(req)));
    const prepared = path.join(dir, 'envs');
    const all = await du(prepared, ...held.flatMap((t) => [t.dir, `${t.dir}.scratch`]));
    const perAttempt = (all - (await du(prepared))) / CONCURRENT;
    await Promise.all(held.map((t) => attempt(t)));
    rows.push([
      `${isolation}: cold (first attempt on a worker)`,
      ms(cold),
      mb(coldBytes),
      (cold / baseMs).toFixed(2),
      (coldBytes / total).toFixed(3),
    ]);
    rows.push([`${isolation}: warm (later attempts)`, ms(warmMs), '', (warmMs / baseMs).toFixed(3), '']);
    rows.push([`${isolation}: per concurrent attempt`, '', mb(perAttempt), '', (perAttempt / total).toFixed(3)]);
    ratios[isolation] = { warm: warmMs / baseMs, disk: perAttempt / total };
    await rm(dir, { recursive: true, force: true }).catch(() => execa('rm', ['-rf', dir]));
  }

  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '));
  console.log();
  for (const [isolation, r] of Object.entries(ratios))
    console.log(
      `${isolation}: warm time ${r.warm.toFixed(3)}x the baseline (target <= 0.1: ${r.warm <= 0.1 ? 'met' : 'NOT met'}); added disk per concurrent attempt ${r.disk.toFixed(3)}x repo + node_modules (target <= 0.1: ${r.disk <= 0.1 ? 'met' : 'NOT met'})`,
    );
} finally {
  await rm(root, { recursive: true, force: true }).catch(() => execa('rm', ['-rf', root]));
}

/** The checkout's top-level tracked entries (everything but .git and node_modules). */
async function trackedTop(dir: string): Promise<string[]> {
  const r = await runGit(dir, ['ls-tree', '--name-only', 'HEAD']);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => path.join(dir, p));
}
