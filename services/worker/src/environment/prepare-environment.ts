import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '@baton/log';
import type { EnvironmentConfig } from '@baton/protocol';
import { runCommand } from '@baton/tools';
import { checkoutMatchesKey, type EnvironmentKey } from './environment-key.js';
import { EnvironmentSetupError } from './errors.js';
import { gitOutput } from './git-output.js';
import { runProgram } from './run-program.js';
import { detectPackageManager, findPackageManager, LOCKFILES } from './package-manager.js';

/**
 * A prepared environment: the environment's paths under `tree` (with setup commands, `tree` is a checkout of the
 * commit they ran in; without, it holds the included paths only).
 */
export interface PreparedEnvironment {
  key: EnvironmentKey;
  /** The prepared checkout; its `dirs` and `files` are what each attempt's worktree gets. */
  tree: string;
  commit: string;
  /** Untracked or ignored folders of the prepared checkout (`node_modules`, `packages/a/node_modules`, generated code). */
  dirs: string[];
  /** Untracked or ignored files of the prepared checkout (`.env.test`): copied, they are small. */
  files: string[];
  /** Commands that made it (empty when it was brought from the user's checkout only). */
  setup: string[];
}

/** What prepareEnvironment needs. */
export interface PrepareOptions {
  /** A git repository holding `commit` (the user's repository or the worker's snapshot mirror). */
  repo: string;
  /** The user's checkout when it is on this machine: what they installed there is brought when it matches the key. */
  checkout?: string;
  commit: string;
  key: EnvironmentKey;
  config: EnvironmentConfig;
  /** Where to build it (must not exist). */
  dir: string;
  timeoutMs: number;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * Prepares the environment of `key` in `dir`: a checkout of `commit`, the `include` paths copied from the user's
 * checkout (default: every `node_modules` there, when its lockfiles are the key's), then the `setup` commands
 * (default: the detected package manager's install, unless the user's `node_modules` were brought). Copies use
 * `cp --reflink=auto`: copy-on-write where the file system has it. Throws EnvironmentSetupError when a command fails.
 */
export async function prepareEnvironment(o: PrepareOptions): Promise<PreparedEnvironment> {
  const tree = join(o.dir, 'tree');
  const keyFiles = o.config.key ?? [...LOCKFILES];
  const matches = o.checkout !== undefined && (await checkoutMatchesKey(o.checkout, o.key, keyFiles));
  const include = (o.config.include ?? (matches && o.checkout ? await findNodeModules(o.checkout) : [])).filter(
    (path) => o.checkout !== undefined && existsSync(join(o.checkout, path)),
  );
  const pm = detectPackageManager(o.key.rootFiles);
  const broughtRoot = include.includes('node_modules');
  const setup = o.config.setup ?? (pm && !broughtRoot ? [pm.install] : []);
  await mkdir(tree, { recursive: true });
  // Without setup commands the environment is the included paths alone: no checkout of the commit is needed.
  if (setup.length > 0)
    await gitOutput(o.dir, 'git clone --shared + checkout (environment)', [o.repo, tree, o.commit], {
      script: 'git clone -q --shared --no-checkout -- "$1" "$2"\ncd "$2"\ngit checkout -q --detach "$3"',
    });
  for (const path of include) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await runProgram('cp', ['-a', '--reflink=auto', '--', join(o.checkout!, path), join(tree, path)]);
  }
  if (setup.length === 0) {
    const isDir = await Promise.all(include.map(async (path) => (await stat(join(tree, path))).isDirectory()));
    return {
      key: o.key,
      tree,
      commit: o.commit,
      dirs: include.filter((_, i) => isDir[i]),
      files: include.filter((_, i) => !isDir[i]),
      setup: [],
    };
  }
  for (const configured of setup) {
    let command = configured;
    if (o.config.setup === undefined && pm) {
      // The default install: through corepack when the package manager itself is not installed.
      const launch = await findPackageManager(pm.name, tree, o.signal);
      if (launch.via === 'missing') throw new EnvironmentSetupError(command, 127, launch.reason);
      command = `${launch.prefix}${command.slice(pm.name.length)}`;
    }
    o.log.info({ key: o.key.id, command }, 'environment: running setup');
    const r = await runCommand(command, {
      cwd: tree,
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.exitCode !== 0) {
      const excerpt = `${r.stderr}\n${r.stdout}`.trim();
      throw new EnvironmentSetupError(
        command,
        r.exitCode ?? null,
        excerpt.length > 2000 ? `…${excerpt.slice(-2000)}` : excerpt,
      );
    }
  }
  const { dirs, files } = await untrackedPaths(tree);
  return { key: o.key, tree, commit: o.commit, dirs, files, setup };
}

/** Every `node_modules` folder of a checkout (the root's and each workspace package's), not those nested inside one. */
async function findNodeModules(checkout: string): Promise<string[]> {
  const r = await runProgram(
    'find',
    ['.', '-name', '.git', '-prune', '-o', '-name', 'node_modules', '-prune', '-print'],
    {
      cwd: checkout,
    },
  );
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^\.\//, ''))
    .sort();
}

/** The untracked and ignored entries of a checkout, folders (collapsed by git to their top) apart from files. */
async function untrackedPaths(tree: string): Promise<{ dirs: string[]; files: string[] }> {
  const out = await gitOutput(tree, 'git status (environment)', [
    'status',
    '--porcelain=v1',
    '-z',
    '--ignored=traditional',
    '--untracked-files=normal',
  ]);
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of out.split('\0')) {
    if (!entry.startsWith('?? ') && !entry.startsWith('!! ')) continue;
    const path = entry.slice(3);
    if (path.endsWith('/')) dirs.push(path.slice(0, -1));
    else files.push(path);
  }
  return { dirs, files };
}
