import { execa } from 'execa';
import type { CommandOutput } from '@baton/protocol';
import { scrubEnv, truncateOutput } from '@baton/tools';

/** Options of runCommand. */
export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Characters kept of stdout and of stderr each. */
  outputLimit?: number;
  env?: Record<string, string | undefined>;
}

/** A finished command: its capped record, and its whole output (parsers read the whole thing). */
export interface CommandRun {
  output: CommandOutput;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bash -c <command>` in its own process group with a scrubbed environment; on timeout or
 * abort the whole group is killed. Never throws for the command's own failure: it is in the output.
 */
export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandRun> {
  const started = Date.now();
  // An already-aborted signal never fires 'abort': check it before starting anything.
  if (options.signal?.aborted) {
    const stderr = 'cancelled before it started';
    return { output: { command, exitCode: null, stdout: '', stderr, truncated: false, timedOut: false, durationMs: 0 }, stdout: '', stderr };
  }
  const limit = options.outputLimit ?? 50_000;
  const sub = execa('bash', ['-c', command], {
    cwd: options.cwd,
    env: scrubEnv(options.env ?? process.env),
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 64 * 1024 * 1024,
  });
  let timedOut = false;
  const kill = () => {
    if (sub.pid === undefined) return;
    try {
      process.kill(-sub.pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  options.signal?.addEventListener('abort', kill, { once: true });
  sub.once('exit', kill);
  try {
    const r = await sub;
    const stdout = String(r.stdout);
    const stderr = String(r.stderr);
    const output: CommandOutput = {
      command,
      exitCode: r.exitCode ?? null,
      stdout: truncateOutput(stdout, limit),
      stderr: truncateOutput(stderr, limit),
      truncated: stdout.length > limit || stderr.length > limit,
      timedOut,
      durationMs: Date.now() - started,
    };
    return { output, stdout, stderr };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', kill);
  }
}
