import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';
import { git, tinyRepo } from './git.js';

describe('baton run refuses a rename that cannot be right (exit 2, no branch)', () => {
  let tmp: string;
  let repo: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-refused-'));
    repo = await tinyRepo(join(tmp, 'repo'));
    // A second, unrelated declaration of the same name makes `--from purry` ambiguous without --declared-in.
    await writeFile(join(repo, 'src', 'other.ts'), 'export const purry = 2;\n');
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', 'other']);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it.each([
    { what: 'a reserved word as --to', args: ['--from', 'purry', '--to', 'class'], says: 'class is a reserved word' },
    {
      what: 'a --to colliding with a name in scope',
      args: ['--from', 'purry', '--to', 'two', '--declared-in', 'src/purry.ts'],
      says: 'renaming to two at src/use.ts:1 would collide with the two already declared or imported at src/use.ts:3',
    },
    {
      what: 'a --from declared nowhere',
      args: ['--from', 'nothing', '--to', 'something'],
      says: 'nothing is not declared anywhere',
    },
    {
      what: 'an ambiguous --from',
      args: ['--from', 'purry', '--to', 'curryDataFirst'],
      says: 'purry is declared in 2 places; say which one to rename with --declared-in <file>:\n  src/other.ts:1\n  src/purry.ts:1',
    },
    {
      what: 'a --declared-in that does not declare --from',
      args: ['--from', 'purry', '--to', 'curryDataFirst', '--declared-in', 'src/use.ts'],
      says: 'no top-level declaration named purry in src/use.ts',
    },
  ])('$what', async ({ args, says }) => {
    const r = await runBaton(['run', '--repo', repo, '--recipe', 'rename', ...args]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(says);
    expect(await git(repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/baton/'])).toBe('');
  });
});
