import type { Subtask } from '@baton/protocol';
import type { RepoPackage, RepoPackages } from './repo-packages.js';
import type { IdAllocator } from './subtask-ids.js';

/** What testerSubtasks needs to know. */
export interface TesterInput {
  packages: RepoPackages;
  /** Writing subtasks (editors, shells) per package folder. */
  writers: ReadonlyMap<string, readonly string[]>;
  slugs: ReadonlyMap<string, string>;
  ids: IdAllocator;
  /** The run's test commands; when absent they are detected per package from package.json scripts. */
  testCommands?: readonly string[];
}

/**
 * One tester per package that has writers. It depends on the writers of its package and of every
 * workspace package it depends on, transitively (a rename in `core` can break `app`'s typecheck);
 * the root's tester (files outside any package) depends on every writer.
 *
 * Commands run from the repository root (a worker's cwd is its worktree), so a package's commands
 * are prefixed `cd <package> && `: a run's `testCommands` are run in each package, not once per package at the root.
 */
export function testerSubtasks(input: TesterInput): Subtask[] {
  const { packages, writers } = input;
  const testers: Subtask[] = [];
  for (const [dir, own] of [...writers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (own.length === 0) continue;
    const deps = dir === '' ? [...writers.values()].flat() : [...own, ...dependencyDirs(dir, packages).flatMap((d) => writers.get(d) ?? [])];
    const slug = input.slugs.get(dir) ?? 'root';
    const commands = testCommandsFor(dir, packages.byDir.get(dir), packages.manager, input.testCommands);
    testers.push({
      id: input.ids.next('test', slug),
      kind: 'tester',
      title: `test ${dir === '' ? 'the repository' : dir}`,
      instructions: `Run the tests of ${dir === '' ? 'the repository' : `package ${dir}`} on the merged result of the subtasks it depends on, and report the failures.`,
      scope: { paths: [dir === '' ? '**' : dir] },
      deps: [...new Set(deps)],
      budget: {},
      ...(commands === undefined ? {} : { commands }),
    });
  }
  return testers;
}

/** Workspace packages `dir` depends on, transitively. */
function dependencyDirs(dir: string, packages: RepoPackages): string[] {
  const seen = new Set<string>();
  const queue = [...(packages.byDir.get(dir)?.workspaceDeps ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next) || next === dir) continue;
    seen.add(next);
    queue.push(...(packages.byDir.get(next)?.workspaceDeps ?? []));
  }
  return [...seen];
}

/**
 * A package's test commands: the run's `testCommands`, else its `typecheck` and `test` scripts
 * (undefined when it has neither: the worker then falls back to the run's defaults).
 */
export function testCommandsFor(dir: string, pkg: RepoPackage | undefined, manager: RepoPackages['manager'], testCommands?: readonly string[]): string[] | undefined {
  const base = testCommands ?? detectScripts(pkg, manager);
  if (base.length === 0) return undefined;
  return base.map((c) => inFolder(dir, c));
}

function detectScripts(pkg: RepoPackage | undefined, manager: RepoPackages['manager']): string[] {
  const scripts = pkg?.scripts ?? {};
  const out: string[] = [];
  if (scripts.typecheck !== undefined) out.push(`${manager} run typecheck`);
  if (scripts.test !== undefined && !scripts.test.includes('no test specified')) out.push(`${manager} test`);
  return out;
}

/** `command` run in `dir` from the repository root: `cd <dir> && <command>` (unchanged at the root). */
export function inFolder(dir: string, command: string): string {
  return dir === '' ? command : `cd ${shellQuote(dir)} && ${command}`;
}

function shellQuote(text: string): string {
  return /^[\w./@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
