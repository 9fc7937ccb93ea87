import { describe, expect, it } from 'vitest';
import { validatePlan } from './validate-plan.js';

type Input = { id: string; kind?: string; deps?: string[]; paths?: string[]; write?: string[] };
const plan = (...subtasks: Input[]) => ({
  v: 1,
  subtasks: subtasks.map((s) => ({
    id: s.id,
    kind: s.kind ?? 'editor',
    title: `do ${s.id}`,
    deps: s.deps ?? [],
    scope: { paths: s.paths ?? [`src/${s.id}.ts`], ...(s.write === undefined ? {} : { write: s.write }) },
  })),
});
const errorsOf = (input: unknown, options?: Parameters<typeof validatePlan>[1]): string[] => {
  const v = validatePlan(input, options);
  return v.ok ? [] : v.errors;
};
const repoFiles = [
  'package.json',
  'src/a.ts',
  'src/b.ts',
  'src/c.ts',
  'src/d.ts',
  'src/lib/x.ts',
  'src/lib/y.css',
  'docs/readme.md',
];

describe('validatePlan', () => {
  it('accepts a DAG with fan-in and parallel editors on disjoint files', () => {
    const v = validatePlan(
      plan(
        { id: 'a' },
        { id: 'b' },
        { id: 'c', deps: ['a'] },
        { id: 'test', kind: 'tester', deps: ['b', 'c'], paths: ['src'] },
      ),
      { repoFiles, maxSubtasks: 10 },
    );
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.plan.subtasks.map((s) => s.id)).toEqual(['a', 'b', 'c', 'test']);
  });

  it('names a cycle in dependency order', () => {
    expect(errorsOf(plan({ id: 'a', deps: ['b'] }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['c'] }))).toEqual([
      'dependency cycle: a -> b -> a (each depends on the next; remove one of these deps)',
      'dependency cycle: c -> c (each depends on the next; remove one of these deps)',
    ]);
  });

  it('reports unknown dependencies and duplicate ids', () => {
    expect(errorsOf(plan({ id: 'a', deps: ['zzz'] }))).toEqual(['subtask "a" depends on unknown subtask "zzz"']);
    expect(errorsOf(plan({ id: 'a' }, { id: 'a', paths: ['src/b.ts'] }))).toEqual([
      'duplicate subtask id "a" (subtasks[0] and subtasks[1]): ids must be unique',
    ]);
  });

  it('rejects an empty plan and one over the size limit', () => {
    expect(errorsOf(plan())).toEqual(['the plan has no subtasks: a plan needs at least one']);
    expect(errorsOf(plan({ id: 'a' }, { id: 'b' }), { maxSubtasks: 1 })).toEqual([
      'the plan has 2 subtasks, more than the limit of 1: merge related work into fewer subtasks',
    ]);
  });

  it('rejects scopes outside the repository with the path of the offending field', () => {
    expect(errorsOf(plan({ id: 'a', paths: ['/etc/passwd'] }, { id: 'b', paths: ['src/../../x'] }))).toEqual([
      'subtasks[0] ("a").scope.paths[0]: must be repository-relative, not absolute (got "/etc/passwd")',
      'subtasks[1] ("b").scope.paths[0]: must not contain .. (got "src/../../x")',
    ]);
    expect(
      errorsOf(
        plan(
          { id: 'a', paths: ['lib/**/*.ts'] },
          { id: 'b', paths: ['nope/new.ts'] },
          { id: 'c', paths: ['src/new.ts'] },
        ),
        { repoFiles },
      ),
    ).toEqual([
      'subtask "a": scope glob "lib/**/*.ts" matches no file in the repository',
      'subtask "b": scope path "nope/new.ts" matches nothing in the repository: no such file or folder, and its folder "nope" does not exist (a new file must go in an existing folder)',
    ]);
  });

  it('reports schema errors with paths', () => {
    expect(errorsOf({ v: 1, subtasks: [{ id: 'bad id!', kind: 'wizard', title: 'x' }] })).toEqual([
      'subtasks[0] ("bad id!").id: must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit (got "bad id!")',
      'subtasks[0] ("bad id!").kind: Invalid option: expected one of "editor"|"tester"|"shell" (got "wizard")',
    ]);
  });

  it('rejects parallel subtasks whose write scopes overlap, and accepts them once ordered', () => {
    const same = plan({ id: 'a', paths: ['src/a.ts'] }, { id: 'b', paths: ['src/a.ts'] });
    expect(errorsOf(same)).toEqual([
      'subtasks "a" and "b" can run in parallel but both may write "src/a.ts": make one depend on the other, or give them disjoint write scopes',
    ]);
    expect(errorsOf(plan({ id: 'a', paths: ['src/a.ts'] }, { id: 'b', paths: ['src/a.ts'], deps: ['a'] }))).toEqual([]);
    // folder prefix, glob vs file, glob vs glob through a shared file, and "no scope" meaning anywhere
    expect(
      errorsOf(plan({ id: 'a', paths: ['src/lib'] }, { id: 'b', paths: ['src/lib/x.ts'] }), { repoFiles })[0],
    ).toContain('both may write "src/lib/x.ts"');
    expect(
      errorsOf(plan({ id: 'a', paths: ['src/*.ts'] }, { id: 'b', paths: ['src/b.ts'] }), { repoFiles })[0],
    ).toContain('"a" and "b"');
    expect(
      errorsOf(plan({ id: 'a', paths: ['src/**'] }, { id: 'b', paths: ['**/*.css'] }), { repoFiles })[0],
    ).toContain('both may write "src/lib/y.css"');
    expect(errorsOf(plan({ id: 'a', paths: [] }, { id: 'b' }))[0]).toContain('anywhere in the repository');
  });

  it('does not count read-only paths or testers as writes', () => {
    expect(
      errorsOf(
        plan({ id: 'a', paths: ['src'], write: ['src/a.ts'] }, { id: 'b', paths: ['src'], write: ['src/b.ts'] }),
        { repoFiles },
      ),
    ).toEqual([]);
    expect(errorsOf(plan({ id: 'a' }, { id: 't', kind: 'tester', paths: ['src'] }), { repoFiles })).toEqual([]);
    // with repository files, globs that share no file do not overlap; without them the check is conservative
    const css = plan({ id: 'a', paths: ['src/**/*.ts'] }, { id: 'b', paths: ['src/**/*.css'] });
    expect(errorsOf(css, { repoFiles })).toEqual([]);
    expect(errorsOf(css)).toHaveLength(1);
  });
});
