import { execa } from 'execa';
import { scrubEnv } from './scrub-env.js';

/** Options of runCommand. */
export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  /** Aborting kills the command's whole process group. */
  signal?: AbortSignal;
  /** Base environment (default `process.env`); secrets are scrubbed from it either way. */
  env?: Record<string, string | undefined>;
  /** Bytes kept of stdout and of stderr each; beyond it the command is stopped. Default 16 MiB. */
  maxBuffer?: number;
  /** How the command starts (default `bash -c <command>`): a worktree's environment wraps it in its own namespace. */
  launch?: CommandLauncher;
}

/** Turns a shell command into the program and arguments that run it (it must end up in `bash -c <command>`). */
export type CommandLauncher = (command: string) => { file: string; args: string[] };

const bashLauncher: CommandLauncher = (command) => ({ file: 'bash', args: ['-c', command] });

/** Why a command was stopped before it finished on its own. */
export const CommandStop = { timeout: 'timeout', abort: 'abort' } as const;
/** Why a command was stopped before it finished on its own. */
export type CommandStop = (typeof CommandStop)[keyof typeof CommandStop];

/** A finished command, with its whole output (final newlines kept). */
export interface CommandResult {
  /** Undefined when the command did not exit on its own (killed, output over the buffer). */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Set when we stopped it: its timeout passed or the signal aborted (also before it started). */
  stop: CommandStop | undefined;
  /** Why it did not finish normally when `exitCode` is undefined (a signal name, a full buffer). */
  failure: string | undefined;
  durationMs: number;
}

/**
 * Runs `bash -c <command>` in `cwd` in its own process group with a scrubbed environment and no stdin.
 * On timeout or abort the whole group is killed, and processes it left in the background are killed
 * when it exits. Never rejects for the command's own failure: that is in the result.
 * @example const r = await runCommand('npm test', { cwd: worktree, timeoutMs: 600_000, signal });
 */
export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const started = Date.now();
  // An already-aborted signal never fires 'abort': check before starting anything.
  if (options.signal?.aborted)
    return {
      exitCode: undefined,
      stdout: '',
      stderr: '',
      stop: 'abort',
      failure: 'cancelled before it started',
      durationMs: 0,
    };
  const { file, args } = (options.launch ?? bashLauncher)(command);
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: scrubEnv(options.env ?? process.env),
    extendEnv: false,
    // Its own process group, so one kill(-pid) reaches every child and grandchild.
    detached: true,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
  });
  let stop: CommandStop | undefined;
  const killGroup = (): void => {
    if (subprocess.pid !== undefined) killProcessGroup(subprocess.pid);
  };
  const stopWith = (reason: CommandStop) => () => {
    stop ??= reason;
    killGroup();
  };
  const timer = setTimeout(stopWith('timeout'), options.timeoutMs);
  const onAbort = stopWith('abort');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Background children keep stdout open and would hold the call until the timeout.
  subprocess.once('exit', killGroup);
  try {
    const r = await subprocess;
    const failure =
      r.exitCode !== undefined
        ? undefined
        : r.isMaxBuffer
          ? 'it produced more output than can be buffered'
          : (r.signal ?? r.shortMessage);
    return {
      exitCode: r.exitCode,
      stdout: String(r.stdout),
      stderr: String(r.stderr),
      stop,
      failure,
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends SIGKILL to a whole process group; a group that is already gone is fine. */
function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
