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
  /** The run's test commands (repository-level); when absent they are detected per package from package.json scripts. */
  testCommands?: readonly string[];
}

/**
 * The testers of a recipe plan. Commands run from the repository root (a worker's cwd is its worktree).
 * - The run's `testCommands` are the user's repository-level commands: one `test-root` tester runs them
 *   at the root once every writer is merged (a whole-repository typecheck on a half-merged rename would
 *   report failures that the next merge fixes).
 * - Otherwise a package with its own `typecheck`/`test` scripts gets `test-<pkg>`, running them with
 *   `cd <pkg> && …` after the writers of its package and of every workspace package it depends on,
 *   transitively (a rename in `core` breaks `app`'s typecheck). Writers in packages without scripts
 *   (or outside any package) are covered by a `test-root` tester after every writer, with the root
 *   package's scripts, or no `commands` (the worker then uses the run's defaults).
 */
export function testerSubtasks(input: TesterInput): Subtask[] {
  const { packages, writers } = input;
  const everyWriter = [...new Set([...writers.values()].flat())];
  if (everyWriter.length === 0) return [];
  const testers: Subtask[] = [];
  let uncovered = input.testCommands !== undefined;
  if (input.testCommands === undefined) {
    for (const [dir, own] of [...writers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const commands = dir === '' ? undefined : testCommandsFor(dir, packages.byDir.get(dir), packages.manager);
      if (commands === undefined) {
        uncovered ||= own.length > 0;
        continue;
      }
      const deps = [...own, ...dependencyDirs(dir, packages).flatMap((d) => writers.get(d) ?? [])];
      testers.push(tester(input.ids.next('test', input.slugs.get(dir) ?? dir), dir, [...new Set(deps)], commands));
    }
  }
  if (uncovered) {
    const commands =
      input.testCommands === undefined
        ? testCommandsFor('', packages.byDir.get(''), packages.manager)
        : [...input.testCommands];
    testers.unshift(tester(input.ids.next('test', 'root'), '', everyWriter, commands));
  }
  return testers;
}

function tester(id: string, dir: string, deps: string[], commands: string[] | undefined): Subtask {
  const what = dir === '' ? 'the repository' : `package ${dir}`;
  return {
    id,
    kind: 'tester',
    title: `test ${what}`,
    instructions: `Run the tests of ${what} on the merged result of the subtasks it depends on, and report the failures.`,
    scope: { paths: [dir === '' ? '**' : dir] },
    deps,
    budget: {},
    ...(commands === undefined || commands.length === 0 ? {} : { commands }),
  };
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

/** A package's own test commands, its `typecheck` and `test` scripts run in its folder; undefined when it has neither. */
export function testCommandsFor(
  dir: string,
  pkg: RepoPackage | undefined,
  manager: RepoPackages['manager'],
): string[] | undefined {
  const scripts = detectScripts(pkg, manager);
  return scripts.length === 0 ? undefined : scripts.map((c) => inFolder(dir, c));
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
