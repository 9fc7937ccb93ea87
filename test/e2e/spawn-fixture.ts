import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './within.js';

const READY_TIMEOUT_MS = 60_000;

/** The repository root (child processes run from here so `tsx` and the workspace packages resolve). */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A TypeScript fixture running in its own Node process. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited and its output is fully read, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts `node --import tsx --conditions=@baton/source <script> ...args` from the repository root.
 * With `readyLine`, resolves once stdout contains it (rejects if the process exits first).
 */
export async function spawnFixture(
  script: string,
  args: readonly string[],
  options: { readyLine?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@baton/source', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const readyLine = options.readyLine;
  let onOut = () => {};
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    onOut();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  if (readyLine !== undefined) {
    const ready = new Promise<void>((resolve, reject) => {
      onOut = () => {
        if (out.includes(readyLine)) resolve();
      };
      void exited.then(({ code, signal }) =>
        reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${err}`)),
      );
    });
    await within(ready, READY_TIMEOUT_MS, `${script} to print ${JSON.stringify(readyLine)}`).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
  }
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Runs a fixture to completion and returns its exit code and output. */
export async function runFixture(
  script: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = await spawnFixture(script, args, env === undefined ? {} : { env });
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}
