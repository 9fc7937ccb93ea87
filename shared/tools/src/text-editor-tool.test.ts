import { link, readFile, symlink } from 'node:fs/promises';
import { runGit } from '@baton/git';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { runToolCall } from './run-tool-call.js';
import type { ToolContext } from './tool.js';
import { createToolset } from './toolset.js';

const tools = createToolset({ include: ['str_replace_based_edit_tool'] });
const edit = (ctx: ToolContext, input: Record<string, unknown>) =>
  runToolCall(tools, 'str_replace_based_edit_tool', input, ctx);
const numbered = (text: string) =>
  text
    .split('\n')
    .map((line, index) => `${String(index + 1).padStart(6)}\t${line}`)
    .join('\n');
const five = 'one\ntwo\nthree\nfour\nfive\n';

describe('view', () => {
  it('shows a file with cat -n numbering, a range, and a range to the end', async () => {
    await using wt = await createTempWorktree({ 'a.txt': five });
    const ctx = wt.ctx();
    const whole = await edit(ctx, { command: 'view', path: 'a.txt' });
    expect(whole).toEqual({
      ok: true,
      content: `Here's the result of running \`cat -n\` on a.txt:\n${numbered('one\ntwo\nthree\nfour\nfive')}\n`,
    });
    const range = await edit(ctx, { command: 'view', path: path.join(wt.root, 'a.txt'), view_range: [2, 3] });
    expect(range.content).toContain('     2\ttwo\n     3\tthree\n');
    expect(range.content).not.toContain('one');
    const toEnd = await edit(ctx, { command: 'view', path: 'a.txt', view_range: [4, -1] });
    expect(toEnd.content).toMatch(/ {5}4\tfour\n {5}5\tfive\n$/);
    const bad = await edit(ctx, { command: 'view', path: 'a.txt', view_range: [3, 9] });
    expect(bad).toEqual({ ok: false, content: expect.stringContaining('second element `9`') as string });
  });

  it('lists a directory two levels deep without .git and node_modules', async () => {
    await using wt = await createTempWorktree({
      'src/lib/deep/x.ts': '',
      'src/a.ts': '',
      'node_modules/p/i.js': '',
      'README.md': '',
    });
    const result = await edit(wt.ctx(), { command: 'view', path: '.' });
    expect(result.ok).toBe(true);
    const listing = result.content.split('\n').slice(1);
    expect(listing).toEqual(['README.md', 'src/', 'src/a.ts', 'src/lib/']);
  });

  it('truncates a large file with a marker naming the lines left out', async () => {
    const big = Array.from({ length: 2000 }, (_, index) => `line ${index + 1} ${'x'.repeat(40)}`).join('\n');
    await using wt = await createTempWorktree({ 'big.txt': big });
    const result = await edit(wt.ctx({ outputLimit: 5000 }), { command: 'view', path: 'big.txt' });
    expect(result.ok).toBe(true);
    expect(result.content.length).toBeLessThanOrEqual(5000);
    expect(result.content).toMatch(
      /\[… lines (\d+)–2000 not shown: output limit reached; view them with view_range: \[\1, 2000\] …\]/,
    );
  });
});

describe('edits', () => {
  it('str_replace replaces the single match, asks Edit permission, and allows a consecutive edit', async () => {
    await using wt = await createTempWorktree({ 'src/a.ts': 'const a = 1;\nconst b = 2;\n' });
    const ctx = wt.ctx();
    await edit(ctx, { command: 'view', path: 'src/a.ts' });
    const first = await edit(ctx, { command: 'str_replace', path: 'src/a.ts', old_str: 'a = 1', new_str: 'a = 10' });
    expect(first.ok).toBe(true);
    expect(first.changedPaths).toEqual(['src/a.ts']);
    expect(first.content).toContain('     1\tconst a = 10;');
    const second = await edit(ctx, { command: 'str_replace', path: 'src/a.ts', old_str: 'const b = 2;\n' });
    expect(second.ok).toBe(true);
    expect(await wt.read('src/a.ts')).toBe('const a = 10;\n');
    expect(wt.asked).toEqual([
      { tool: 'Edit', path: 'src/a.ts' },
      { tool: 'Edit', path: 'src/a.ts' },
    ]);
  });

  it('insert puts lines after insert_line (0 = top) and keeps CRLF line endings', async () => {
    await using wt = await createTempWorktree({ 'a.txt': 'one\r\ntwo\r\n' });
    const ctx = wt.ctx();
    await edit(ctx, { command: 'view', path: 'a.txt' });
    expect((await edit(ctx, { command: 'insert', path: 'a.txt', insert_line: 0, insert_text: 'zero\n' })).ok).toBe(
      true,
    );
    expect((await edit(ctx, { command: 'insert', path: 'a.txt', insert_line: 3, insert_text: 'three\nfour' })).ok).toBe(
      true,
    );
    expect(await wt.read('a.txt')).toBe('zero\r\none\r\ntwo\r\nthree\r\nfour\r\n');
    const outOfRange = await edit(ctx, { command: 'insert', path: 'a.txt', insert_line: 9, insert_text: 'x' });
    expect(outOfRange).toEqual({
      ok: false,
      content: 'Invalid `insert_line` parameter: 9. It should be within the range of lines of the file: [0, 5].',
    });
  });

  it('create writes a new file with parents, and overwrites an existing one only after viewing it', async () => {
    await using wt = await createTempWorktree({ 'old.txt': 'old\n' });
    const ctx = wt.ctx();
    const created = await edit(ctx, { command: 'create', path: 'new/dir/f.ts', file_text: 'export {};\n' });
    expect(created).toEqual({
      ok: true,
      content: 'File created successfully at: new/dir/f.ts',
      changedPaths: ['new/dir/f.ts'],
    });
    expect(await wt.read('new/dir/f.ts')).toBe('export {};\n');

    const before = await wt.snapshot();
    const refused = await edit(ctx, { command: 'create', path: 'old.txt', file_text: 'new\n' });
    expect(refused.ok).toBe(false);
    expect(refused.content).toContain('already exists and you have not viewed it');
    expect(await wt.snapshot()).toEqual(before);

    await edit(ctx, { command: 'view', path: 'old.txt' });
    expect((await edit(ctx, { command: 'create', path: 'old.txt', file_text: 'new\n' })).ok).toBe(true);
    expect(await wt.read('old.txt')).toBe('new\n');
    expect(wt.asked).toEqual([
      { tool: 'Write', path: 'new/dir/f.ts' },
      { tool: 'Write', path: 'old.txt' },
    ]);
  });

  it('a denied edit changes nothing and reports the reason', async () => {
    await using wt = await createTempWorktree({ 'a.txt': five });
    const ctx = wt.ctx({ authorize: () => Promise.resolve({ allowed: false, reason: 'outside the subtask scope' }) });
    await edit(ctx, { command: 'view', path: 'a.txt' });
    const before = await wt.snapshot();
    const result = await edit(ctx, { command: 'str_replace', path: 'a.txt', old_str: 'two', new_str: '2' });
    expect(result).toEqual({
      ok: false,
      content: 'Permission denied for Edit on a.txt: outside the subtask scope. Nothing was changed.',
    });
    expect(await wt.snapshot()).toEqual(before);
  });
});

describe('refusals leave the file tree byte-identical', () => {
  type Case = {
    name: string;
    setup?: (wt: Awaited<ReturnType<typeof createTempWorktree>>, ctx: ToolContext) => Promise<void>;
    input: (wt: Awaited<ReturnType<typeof createTempWorktree>>) => Record<string, unknown>;
    message: RegExp;
  };
  const view = (wt: { root: string }, ctx: ToolContext, file: string) =>
    edit(ctx, { command: 'view', path: file }).then(() => undefined);
  const cases: Case[] = [
    {
      name: 'old_str with 0 matches',
      setup: (wt, ctx) => view(wt, ctx, 'a.txt'),
      input: () => ({ command: 'str_replace', path: 'a.txt', old_str: 'six', new_str: '6' }),
      message: /did not appear verbatim in a\.txt \(0 matches\)/,
    },
    {
      name: 'old_str with 2 matches',
      setup: async (wt, ctx) => {
        await wt.write('a.txt', 'x = 1\ny = 2\nx = 1\n');
        await view(wt, ctx, 'a.txt');
      },
      input: () => ({ command: 'str_replace', path: 'a.txt', old_str: 'x = 1', new_str: 'x = 3' }),
      message: /old_str matches 2 times in a\.txt, at lines 1, 3\./,
    },
    {
      name: 'a file that was not viewed',
      input: () => ({ command: 'str_replace', path: 'a.txt', old_str: 'two', new_str: '2' }),
      message: /a\.txt has not been viewed yet\. View it first/,
    },
    {
      name: 'a file changed since it was viewed',
      setup: async (wt, ctx) => {
        await view(wt, ctx, 'a.txt');
        await wt.write('a.txt', `${five}six\n`);
      },
      input: () => ({ command: 'insert', path: 'a.txt', insert_line: 1, insert_text: 'x' }),
      message: /a\.txt changed on disk since you last viewed it\. View it again/,
    },
    {
      name: 'a ../ escape',
      input: () => ({ command: 'create', path: '../outside/x.txt', file_text: 'pwned' }),
      message: /refused \(outside-worktree\)/,
    },
    {
      name: 'an absolute path outside (/etc/passwd)',
      input: () => ({ command: 'create', path: '/etc/passwd', file_text: 'pwned' }),
      message: /refused \(outside-worktree\)/,
    },
    {
      name: 'a sibling directory sharing the prefix',
      input: (wt) => ({ command: 'create', path: path.join(wt.sibling, 'secret.txt'), file_text: 'pwned' }),
      message: /refused \(outside-worktree\)/,
    },
    {
      name: 'a symlinked directory leading out',
      setup: async (wt) => symlink(wt.outside, path.join(wt.root, 'out')),
      input: () => ({ command: 'create', path: 'out/new.txt', file_text: 'pwned' }),
      message: /refused \(symlink-outside\)/,
    },
    {
      name: '.git/config',
      input: () => ({ command: 'create', path: '.git/config', file_text: '[core]\n\tfsmonitor = evil\n' }),
      message: /refused \(git-internals\)/,
    },
    {
      name: 'the .git file of a nested repository',
      setup: async (wt) => void (await wt.write('nested/.git', 'gitdir: /elsewhere\n')),
      input: () => ({ command: 'create', path: 'nested/.git', file_text: 'gitdir: /tmp/evil\n' }),
      message: /refused \(git-internals\)/,
    },
    {
      name: 'a hard-linked file',
      setup: async (wt, ctx) => {
        await link(path.join(wt.outside, 'target.txt'), path.join(wt.root, 'hard.txt'));
        await view(wt, ctx, 'hard.txt');
      },
      input: () => ({ command: 'str_replace', path: 'hard.txt', old_str: 'outside', new_str: 'pwned' }),
      message: /refused \(hard-link\): it is a hard link \(2 names share this file\)/,
    },
  ];

  for (const refusal of cases) {
    it(`refuses ${refusal.name}`, async () => {
      await using wt = await createTempWorktree({ 'a.txt': five });
      const ctx = wt.ctx();
      await refusal.setup?.(wt, ctx);
      const before = await wt.snapshot();
      const result = await edit(ctx, refusal.input(wt));
      expect(result.ok).toBe(false);
      expect(result.content).toMatch(refusal.message);
      expect(await wt.snapshot()).toEqual(before);
      expect(wt.asked).toEqual([]);
    });
  }
});

it('refuses the .git file at the root of a linked worktree, with that worktree as root', async () => {
  await using wt = await createTempWorktree({ 'a.txt': five });
  await runGit(wt.root, ['add', '.']);
  await runGit(wt.root, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init']);
  const linked = path.join(wt.base, 'linked');
  await runGit(wt.root, ['worktree', 'add', '-q', linked]);
  const gitFile = await readFile(path.join(linked, '.git'), 'utf8');
  expect(gitFile).toMatch(/^gitdir: /);
  const ctx = wt.ctx({ root: linked });
  const before = await wt.snapshot();
  for (const input of [
    { command: 'view', path: '.git' },
    { command: 'create', path: '.git', file_text: 'gitdir: /tmp/evil\n' },
    { command: 'create', path: path.join(linked, '.GIT'), file_text: 'x' },
  ]) {
    const result = await edit(ctx, input);
    expect(result.ok).toBe(false);
    expect(result.content).toMatch(/refused \(git-internals\)/);
  }
  expect(await wt.snapshot()).toEqual(before);
});
