import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, toPromise } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@baton/log';
import { makeTempRepo, type TempRepo } from '../../test/temp-repo.js';
import { Workspaces } from '../workspace/workspaces.js';
import { shellMachine, type ShellInput, type ShellOutput } from './shell.machine.js';

let repo: TempRepo;
let scratch: string;
let workspaces: Workspaces;
let n = 0;

beforeAll(async () => {
  repo = await makeTempRepo({ 'README.md': '# demo\n', 'src/a.txt': 'one\n' });
  scratch = await mkdtemp(join(tmpdir(), 'baton-shell-test-'));
  workspaces = await Workspaces.open({ workerId: 'shell-test', baseDir: scratch, log: silentLogger() });
});

afterAll(async () => {
  await workspaces.close();
  await rm(scratch, { recursive: true, force: true });
  await repo.remove();
});

const allowAll = () => Promise.resolve({ allowed: true, reason: 'test' });

async function shell(
  commands: string[],
  authorize: ShellInput['authorize'] = allowAll,
): Promise<{ out: ShellOutput; dir: string; state: unknown }> {
  const tree = await workspaces.worktree({ kind: 'local', path: repo.dir }, repo.commit, `s${n++}`);
  const actor = createActor(shellMachine, {
    input: { commands, cwd: tree.dir, authorize, timeoutMs: 30_000, diff: () => tree.diff() },
  });
  actor.start();
  const out = await toPromise(actor);
  return { out, dir: tree.dir, state: actor.getSnapshot().value };
}

describe('shellMachine', () => {
  it("turns the commands' file changes into the diff", async () => {
    const { out, state } = await shell([
      'echo two >> src/a.txt',
      'mkdir -p gen && echo made > gen/new.txt',
      'rm README.md',
    ]);
    expect(state).toBe('done');
    expect(out).toMatchObject({ ok: true, stop: 'completed' });
    expect(out.files.sort()).toEqual(['README.md', 'gen/new.txt', 'src/a.txt']);
    expect(out.diff).toContain('+two');
    expect(out.diff).toContain('+made');
    expect(out.diff).toContain('deleted file mode');
    expect(out.commands.map((c) => c.exitCode)).toEqual([0, 0, 0]);
  });

  it('names changed files as they are: spaces, non-ASCII letters, quotes', async () => {
    const { out } = await shell([
      'mkdir -p "src/naïve dir" && echo x > "src/naïve dir/é \\"q\\".txt"',
      'echo y > "a b.txt"',
    ]);
    expect(out).toMatchObject({ ok: true, stop: 'completed' });
    expect(out.files.sort()).toEqual(['a b.txt', 'src/naïve dir/é "q".txt']);
    expect(out.diff.endsWith('\n')).toBe(true);
  });

  it('keeps a patch that holds a NUL whole (a text file with one past the 8,000 bytes git checks for binary)', async () => {
    const { out } = await shell([
      `node -e "require('fs').writeFileSync('big.txt', 'a\\n'.repeat(4500) + '\\0' + 'TAIL\\n')"`,
      'echo z > other.txt',
    ]);
    expect(out).toMatchObject({ ok: true, stop: 'completed' });
    expect(out.files.sort()).toEqual(['big.txt', 'other.txt']);
    expect(out.diff).toContain('+\0TAIL\n');
    expect(out.diff).toContain('+z');
  });

  it('never runs a denied command', async () => {
    const asked: string[] = [];
    const { out, dir, state } = await shell(['touch created-by-denied'], (command) => {
      asked.push(command);
      return Promise.resolve({ allowed: false, reason: 'Bash(touch:*) is denied' });
    });
    expect(asked).toEqual(['touch created-by-denied']);
    expect(state).toBe('failed');
    expect(out).toMatchObject({ ok: false, stop: 'command_failed', diff: '' });
    expect(out.commands[0]!.stderr).toContain('Bash(touch:*) is denied');
    expect(existsSync(join(dir, 'created-by-denied'))).toBe(false);
  });

  it('fails at the first failing command and runs none after it', async () => {
    const { out, dir, state } = await shell(['echo before', 'echo oops >&2; exit 7', 'touch after']);
    expect(state).toBe('failed');
    expect(out).toMatchObject({ ok: false, stop: 'command_failed' });
    expect(out.commands.map((c) => [c.exitCode, c.stdout || c.stderr])).toEqual([
      [0, 'before'],
      [7, 'oops'],
    ]);
    expect(existsSync(join(dir, 'after'))).toBe(false);
  });

  it('is cancelled mid-command, killing it', async () => {
    const tree = await workspaces.worktree({ kind: 'local', path: repo.dir }, repo.commit, `s${n++}`);
    const actor = createActor(shellMachine, {
      input: {
        commands: ['touch started; sleep 30', 'touch second'],
        cwd: tree.dir,
        authorize: allowAll,
        timeoutMs: 60_000,
        diff: () => tree.diff(),
      },
    });
    actor.start();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => existsSync(join(tree.dir, 'started')) && (clearInterval(poll), resolve()), 20);
    });
    actor.send({ type: 'CANCEL' });
    const out = await toPromise(actor);
    expect(out).toMatchObject({ ok: false, stop: 'cancelled' });
    expect(existsSync(join(tree.dir, 'second'))).toBe(false);
  });
});
