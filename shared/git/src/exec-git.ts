import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { GitCanceledError, GitError, GitNotFoundError } from './errors.js';
import { gitEnv, type GitEnvOptions } from './git-env.js';

/** Options of every way this package runs git. */
export interface RunGitOptions extends GitEnvOptions {
  /** Text or bytes for stdin; default none (stdin is empty, never the caller's). */
  input?: string | Uint8Array;
  /** Exit codes that are outcomes rather than failures; default only 0. */
  okExitCodes?: readonly number[];
  /** Stops the command (GitCanceledError). */
  signal?: AbortSignal;
  /** The caller's name for this step in errors; default `git <args>`. */
  step?: string;
  /** Most bytes of stdout kept; default 512 MiB. */
  maxBuffer?: number;
  /** Past maxBuffer, return what fit with `truncated` instead of failing; default false. */
  allowTruncated?: boolean;
}

/** What one command printed (bytes, untouched: no final newline stripped) and how it exited. */
export interface GitBytesOutput {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
  /** Stdout was cut at maxBuffer (only with allowTruncated). */
  truncated: boolean;
}

/** Starts `file args` (git, or sh for a script) with git's environment, buffered, and checks how it ended. */
export async function execGit(
  file: 'git' | 'sh',
  cwd: string,
  args: readonly string[],
  step: string,
  options: RunGitOptions,
): Promise<GitBytesOutput> {
  const result = await execa(file, args, {
    cwd,
    env: gitEnv(options),
    extendEnv: false,
    // Bytes: a bundle, a blob or a binary patch ends where it ends; execa would strip a final newline from text.
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
    maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const stderr = Buffer.from(result.stderr).toString('utf8');
  const failure = { step, args, cwd, exitCode: result.exitCode, stderr };
  if (result.isCanceled) throw new GitCanceledError(failure, { cause: result });
  const truncated = result.isMaxBuffer;
  if (truncated && !options.allowTruncated)
    throw new GitError({ ...failure, stderr: `${stderr}\nstdout over maxBuffer` });
  if (result.exitCode === undefined && !truncated) {
    // Not started, or killed. A missing cwd is reported by spawn as ENOENT too, so look before blaming the binary.
    if (!existsSync(cwd)) throw new GitError({ ...failure, stderr: `${cwd}: no such directory` }, { cause: result });
    if (result.code === 'ENOENT') throw new GitNotFoundError({ ...failure, stderr: `${file} is not on PATH` });
    const how = result.signal ? `killed by ${result.signal}` : (result.message ?? 'did not run');
    throw new GitError({ ...failure, stderr: `${stderr}\n${how}` }, { cause: result });
  }
  const exitCode = result.exitCode ?? -1;
  if (!truncated && !(options.okExitCodes ?? [0]).includes(exitCode)) throw new GitError(failure);
  return { stdout: Buffer.from(result.stdout), stderr, exitCode, truncated };
}
