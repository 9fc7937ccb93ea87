import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-run-command-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('runCommand', () => {
  it('returns the exit code and the whole output, final newlines kept', async () => {
    const r = await runCommand('echo out; echo err >&2; exit 4', { cwd: dir, timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 4, stdout: 'out\n', stderr: 'err\n', stop: undefined, failure: undefined });
  });

  it('never starts a command whose signal is already aborted', async () => {
    const r = await runCommand('touch started', { cwd: dir, timeoutMs: 10_000, signal: AbortSignal.abort() });
    expect(r).toMatchObject({ exitCode: undefined, stop: 'abort' });
    const again = await runCommand('test -e started', { cwd: dir, timeoutMs: 10_000 });
    expect(again.exitCode).toBe(1);
  });

  it('reports a timeout and the signal that killed the group', async () => {
    const r = await runCommand('sleep 30', { cwd: dir, timeoutMs: 200 });
    expect(r).toMatchObject({ exitCode: undefined, stop: 'timeout', failure: 'SIGKILL' });
  });
});
