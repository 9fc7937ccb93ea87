import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { SubmitReply } from '@baton/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton, startBaton, type BatonProcess } from './baton-process.js';
import { tinyRepo } from './git.js';

const rename = ['--recipe', 'rename', '--from', 'purry', '--to', 'curryDataFirst'];

// The coordinator checks the repository when it takes a run (the CLI does not check it again): from a cluster, its
// refusal comes back with the same message and exit code as embedded.
describe('baton submit: the coordinator checks the repository', () => {
  let tmp: string;
  let nats: NatsServer;
  let coordinator: BatonProcess | undefined;
  let n = 0;
  const freshRepo = () => tinyRepo(join(tmp, `repo-${++n}`));
  const submit = (args: readonly string[]) => runBaton(['submit', '--nats', nats.url, ...args], { timeoutMs: 60_000 });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-submit-'));
    nats = await startNatsServer();
    coordinator = startBaton(['coordinator', '--nats', nats.url]);
    await coordinator.stderrContains('"msg":"coordinator running"', 60_000);
  });
  afterAll(async () => {
    if (coordinator && coordinator.child.exitCode === null && coordinator.child.signalCode === null)
      coordinator.child.kill('SIGKILL');
    await nats?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a path that does not exist (exit 2)', async () => {
    const missing = join(tmp, 'no-such-dir');
    const r = await submit(['--repo', missing, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`--repo ${missing}: no such directory`);
  });

  it('a path that is not a git repository (exit 2)', async () => {
    const plain = join(tmp, 'plain');
    await mkdir(plain);
    const r = await submit(['--repo', plain, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`--repo ${plain} is not a git repository`);
  });

  it('an unknown base ref (exit 2)', async () => {
    const repo = await freshRepo();
    const r = await submit(['--repo', repo, '--base', 'no-such-branch', ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`--base no-such-branch does not name a commit in ${repo}`);
  });

  it('a dirty working tree without --allow-dirty (exit 2)', async () => {
    const repo = await freshRepo();
    const dirty = join(repo, 'src', 'use.ts');
    await writeFile(dirty, `${await readFile(dirty, 'utf8')}// work in progress\n`);
    const r = await submit(['--repo', repo, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('has uncommitted changes (src/use.ts)');
    expect(r.stderr).toContain('--allow-dirty');
  });

  it('an invalid .baton/settings.json names the file and the key path (exit 2)', async () => {
    const repo = await freshRepo();
    await mkdir(join(repo, '.baton'));
    await writeFile(join(repo, '.baton', 'settings.json'), JSON.stringify({ permissions: { allow: [42] } }));
    const r = await submit(['--repo', repo, ...rename]);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain('.baton/settings.json');
    expect(r.stderr).toContain('permissions.allow[0]');
  });

  it('a good repository is accepted: the id and branch, or the reply as JSON with --json', async () => {
    const repo = await freshRepo();
    const plain = await submit(['--repo', repo, ...rename]);
    expect(plain.code, describeResult(plain)).toBe(0);
    expect(plain.stdout).toMatch(/^(\S+)\tbranch baton\/\1\n$/);

    const json = await submit(['--repo', repo, ...rename, '--json']);
    expect(json.code, describeResult(json)).toBe(0);
    const reply = SubmitReply.parse(JSON.parse(json.stdout));
    expect(reply.branch).toBe(`baton/${reply.runId}`);
  });
});
