import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';
import { tinyRepo } from './git.js';

const rename = ['--recipe', 'rename', '--from', 'purry', '--to', 'curryDataFirst'];

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('baton run: clear errors for bad input', () => {
  let tmp: string;
  let n = 0;
  const freshRepo = () => tinyRepo(join(tmp, `repo-${++n}`));

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-errors-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('an unknown recipe names it and the choices (exit 2)', async () => {
    const r = await runBaton(['run', '--repo', await freshRepo(), '--recipe', 'foo']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain("argument 'foo' is invalid");
    expect(r.stderr).toContain('rename, codemod, command');
  });

  it('rename without --to says so (exit 2)', async () => {
    const r = await runBaton(['run', '--repo', await freshRepo(), '--recipe', 'rename', '--from', 'purry']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('--recipe rename needs --to');
  });

  it('a repository path that does not exist (exit 2)', async () => {
    const missing = join(tmp, 'no-such-dir');
    const r = await runBaton(['run', '--repo', missing, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`--repo ${missing}: no such directory`);
  });

  it('a path that is not a git repository (exit 2)', async () => {
    const plain = join(tmp, 'plain');
    await mkdir(plain);
    const r = await runBaton(['run', '--repo', plain, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`--repo ${plain} is not a git repository`);
  });

  it('a dirty working tree is refused; --allow-dirty runs from HEAD and leaves the edit alone', async () => {
    const repo = await freshRepo();
    const dirty = join(repo, 'src', 'use.ts');
    await writeFile(dirty, `${await readFile(dirty, 'utf8')}// work in progress\n`);
    const refused = await runBaton(['run', '--repo', repo, ...rename]);
    expect(refused.code, describeResult(refused)).toBe(2);
    expect(refused.stderr).toContain('has uncommitted changes (src/use.ts)');
    expect(refused.stderr).toContain('--allow-dirty');

    const allowed = await runBaton(['run', '--repo', repo, ...rename, '--allow-dirty'], { timeoutMs: 170_000 });
    expect(allowed.code, describeResult(allowed)).toBe(0);
    expect(allowed.stdout).toMatch(/^run \S+: succeeded/m);
    expect(await readFile(dirty, 'utf8')).toContain('purry(1);\n// work in progress\n');
  }, 180_000);

  it('unreachable NATS fails at once naming the URL (exit 1)', async () => {
    const url = `nats://127.0.0.1:${await closedPort()}`;
    const r = await runBaton(['run', '--repo', await freshRepo(), ...rename, '--nats', url], { timeoutMs: 30_000 });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toContain(`cannot reach NATS at ${url}`);
  });

  it('an invalid .baton/settings.json names the file and the key path (exit 2)', async () => {
    const repo = await freshRepo();
    await mkdir(join(repo, '.baton'));
    await writeFile(
      join(repo, '.baton', 'settings.json'),
      JSON.stringify({ permissions: { allow: ['Bash(npm test:*)', 42] } }),
    );
    const r = await runBaton(['run', '--repo', repo, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('.baton/settings.json');
    expect(r.stderr).toContain('permissions.allow[1]');
  });

  it('a glob matching nothing fails the run naming the glob (exit 1)', async () => {
    const r = await runBaton(['run', '--repo', await freshRepo(), ...rename, '--glob', 'nowhere/**/*.ts'], {
      timeoutMs: 110_000,
    });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stdout).toMatch(/^run \S+: failed \(plan_failed\)/m);
    expect(r.stdout).toContain('the recipe\'s glob "nowhere/**/*.ts" matches no files');
  }, 120_000);
});
