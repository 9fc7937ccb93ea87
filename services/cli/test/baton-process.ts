import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../src/bin-source.ts', import.meta.url));

/** How a `baton` process ended and what it printed. */
export interface BatonResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `baton` process. */
export interface BatonProcess {
  readonly child: ChildProcess;
  /** Resolves when the process exits. */
  readonly exited: Promise<BatonResult>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr contains `text`; rejects if the process exits first or `timeoutMs` passes. */
  stderrContains(text: string, timeoutMs: number): Promise<void>;
}

/** The environment of a `baton` child: the test's, minus what would change which bus or model it uses. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['BATON_NATS_URL', 'BATON_LOG_LEVEL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'])
    if (!(key in extra)) delete env[key];
  return env;
}

/**
 * Starts `baton <args>` from TypeScript source in its own Node process (see README: "Tests").
 * @example const coordinator = startBaton(['coordinator', '--nats', url]);
 */
export function startBaton(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): BatonProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@baton/source', entry, ...args], {
    cwd: packageDir,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<BatonResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    stderrContains: (text, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!err.includes(text)) return;
          settle();
          resolve();
        };
        const timer = setTimeout(() => {
          settle();
          reject(
            new Error(`baton ${args.join(' ')}: no ${JSON.stringify(text)} on stderr after ${timeoutMs} ms:\n${err}`),
          );
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then((r) => {
          settle();
          reject(
            new Error(
              `baton ${args.join(' ')} exited (${r.code ?? r.signal}) before printing ${JSON.stringify(text)}:\n${err}`,
            ),
          );
        });
        check();
      }),
  };
}

/**
 * Runs `baton <args>` to completion. A process still running after `timeoutMs` is killed and the
 * call rejects with what it printed, so a hang fails the test with a reason instead of a bare timeout.
 */
export async function runBaton(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<BatonResult> {
  const proc = startBaton(args, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(
        new Error(
          `baton ${args.join(' ')} still running after ${timeoutMs} ms\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** A result as text for assertion messages. */
export function describeResult(r: BatonResult): string {
  return `exit ${r.code ?? r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}
