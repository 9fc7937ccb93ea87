import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, vi } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { runToolCall } from './run-tool-call.js';
import type { ToolContext } from './tool.js';
import { createToolset } from './toolset.js';

const tools = createToolset({ include: ['bash'] });
const bash = (ctx: ToolContext, command: string) => runToolCall(tools, 'bash', { command }, ctx);

/** A process counts as gone once it no longer exists or is a zombie awaiting its reaper. */
async function isGone(pid: number): Promise<boolean> {
  const ps = await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false });
  return ps.exitCode !== 0 || ps.stdout.trim().startsWith('Z');
}

async function pidsIn(file: string): Promise<number[]> {
  await vi.waitFor(async () => expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2), {
    timeout: 10_000,
  });
  return (await readFile(file, 'utf8')).trim().split('\n').map(Number);
}

describe('bash', () => {
  it('returns exit code, stdout and stderr; a non-zero exit is ok: false', async () => {
    await using wt = await createTempWorktree();
    const result = await bash(wt.ctx(), 'echo out; echo err >&2; exit 3');
    expect(result).toEqual({ ok: false, content: 'exit code: 3\nstdout:\nout\nstderr:\nerr' });
    expect(wt.asked).toEqual([{ tool: 'Bash', command: 'echo out; echo err >&2; exit 3' }]);
    expect(await bash(wt.ctx(), 'pwd')).toEqual({
      ok: true,
      content: `exit code: 0\nstdout:\n${wt.root}\nstderr:\n(empty)`,
    });
  });

  it('kills the whole process group on timeout', async () => {
    await using wt = await createTempWorktree();
    const result = await bash(
      wt.ctx({ bashTimeoutMs: 1000 }),
      'sleep 100 & echo $! >> pids; sleep 100 & echo $! >> pids; wait',
    );
    expect(result.ok).toBe(false);
    expect(result.content).toContain('The command timed out after 1000 ms; its process group was killed.');
    const pids = await pidsIn(path.join(wt.root, 'pids'));
    await vi.waitFor(async () => expect(await Promise.all(pids.map(isGone))).toEqual([true, true]), {
      timeout: 10_000,
    });
  });

  it('kills the whole process group when the signal aborts', async () => {
    await using wt = await createTempWorktree();
    const abort = new AbortController();
    const running = bash(
      wt.ctx({ signal: abort.signal }),
      'sleep 100 & echo $! >> pids; sleep 100 & echo $! >> pids; wait',
    );
    const pids = await pidsIn(path.join(wt.root, 'pids'));
    expect(await Promise.all(pids.map(isGone))).toEqual([false, false]);
    abort.abort();
    const result = await running;
    expect(result).toMatchObject({
      ok: false,
      content: expect.stringContaining('The command was cancelled; its process group was killed.') as string,
    });
    await vi.waitFor(async () => expect(await Promise.all(pids.map(isGone))).toEqual([true, true]), {
      timeout: 10_000,
    });
  });

  it('kills processes left in the background once the command exits', async () => {
    await using wt = await createTempWorktree();
    const result = await bash(wt.ctx(), 'sleep 100 > /dev/null 2>&1 & echo $!');
    expect(result.ok).toBe(true);
    const pid = Number(/stdout:\n(\d+)/.exec(result.content)?.[1]);
    await vi.waitFor(async () => expect(await isGone(pid)).toBe(true), { timeout: 10_000 });
  });

  it('truncates long output in the middle with a marker', async () => {
    await using wt = await createTempWorktree();
    const result = await bash(wt.ctx({ outputLimit: 1000 }), "head -c 100000 /dev/zero | tr '\\0' a; echo END");
    expect(result.ok).toBe(true);
    expect(result.content).toMatch(/\n\[… \d+ characters truncated …\]\n/);
    expect(result.content).toMatch(/aEND\nstderr:/);
    expect(result.content.length).toBeLessThan(1500);
  });

  it('scrubs secrets from the environment and keeps ordinary variables', async () => {
    await using wt = await createTempWorktree();
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/home/agent',
      LANG: 'C.UTF-8',
      MY_SETTING: 'visible',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
      GITHUB_TOKEN: 'ghp-secret',
      AWS_REGION: 'aws-secret',
      NATS_URL: 'nats-secret',
      DB_PASSWORD: 'pw-secret',
      DATABASE_URL: 'postgres://u:url-secret@db/x',
      SIGNING_KEY: 'key-secret',
    };
    const result = await bash(wt.ctx({ env }), 'env');
    expect(result.ok).toBe(true);
    expect(result.content).not.toMatch(/secret/);
    expect(result.content).toContain('MY_SETTING=visible');
    expect(result.content).toContain('HOME=/home/agent');
    expect(result.content).toContain('LANG=C.UTF-8');
    expect(result.content).toContain('GIT_TERMINAL_PROMPT=0');
  });

  it('never runs a denied command', async () => {
    await using wt = await createTempWorktree();
    const ctx = wt.ctx({
      authorize: () => Promise.resolve({ allowed: false, reason: 'network access is not allowed' }),
    });
    const result = await bash(ctx, 'touch created.txt');
    expect(result).toEqual({
      ok: false,
      content: 'Permission denied; the command did not run: network access is not allowed',
    });
    await expect(access(path.join(wt.root, 'created.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
