import { execa, type Options } from 'execa';
import { WorkspaceError } from '../errors.js';

const GIT_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Baton',
  GIT_AUTHOR_EMAIL: 'baton@localhost',
  GIT_COMMITTER_NAME: 'Baton',
  GIT_COMMITTER_EMAIL: 'baton@localhost',
};

/** Runs `file args` with git's environment; throws WorkspaceError naming `what` with the process's stderr. */
async function run(
  what: string,
  cwd: string,
  file: string,
  args: readonly string[],
  options: Options,
): Promise<string> {
  try {
    const r = await execa(file, args, { ...options, cwd, maxBuffer: 512 * 1024 * 1024, env: GIT_ENV });
    return String(r.stdout);
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : '';
    throw new WorkspaceError(`${what} failed in ${cwd}: ${stderr.trim().slice(0, 2000)}`, what, { cause: err });
  }
}

/** Runs git with no prompts and a fixed identity; throws WorkspaceError with git's stderr. */
export function git(
  cwd: string,
  args: string[],
  options: { input?: string; signal?: AbortSignal } = {},
): Promise<string> {
  return run(`git ${args.join(' ')}`, cwd, 'git', args, {
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
}

/**
 * Runs several git commands as one `sh -c` script (`$1`, `$2`… are `args`, never parsed by the shell), same
 * environment and errors as `git`; returns stdout untouched (no final newline stripped). Each process Node starts
 * is a fork of the whole worker (synchronous, milliseconds in a process of a few hundred MB, during which nothing
 * else on the event loop runs); a shell forking git is cheap. So the steps of one operation go out as one process.
 */
export function gitScript(cwd: string, what: string, script: string, args: readonly string[]): Promise<string> {
  return run(what, cwd, 'sh', ['-c', `set -e\n${script}`, 'sh', ...args], { stripFinalNewline: false });
}
