import { execa } from 'execa';
import { WorkspaceError } from '../errors.js';

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'Baton', GIT_AUTHOR_EMAIL: 'baton@localhost', GIT_COMMITTER_NAME: 'Baton', GIT_COMMITTER_EMAIL: 'baton@localhost' };

/** Runs git with no prompts and a fixed identity; throws WorkspaceError with git's stderr. */
export async function git(cwd: string, args: string[], options: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
  try {
    const r = await execa('git', args, {
      cwd,
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.signal ? { cancelSignal: options.signal } : {}),
      maxBuffer: 512 * 1024 * 1024,
      env: GIT_ENV,
    });
    return r.stdout;
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : '';
    throw new WorkspaceError(`git ${args.join(' ')} failed in ${cwd}: ${stderr.trim().slice(0, 2000)}`, `git ${args.join(' ')}`, { cause: err });
  }
}

/**
 * Runs several git commands as one `sh -c` script (`$1`, `$2`… are `args`, never parsed by the shell), same
 * environment and errors as `git`; returns stdout untouched (no final newline stripped). Each process Node starts
 * is a fork of the whole worker (synchronous, milliseconds in a process of a few hundred MB, during which nothing
 * else on the event loop runs); a shell forking git is cheap. So the steps of one operation go out as one process.
 */
export async function gitScript(cwd: string, what: string, script: string, args: readonly string[]): Promise<string> {
  try {
    const r = await execa('sh', ['-c', `set -e\n${script}`, 'sh', ...args], { cwd, maxBuffer: 512 * 1024 * 1024, stripFinalNewline: false, env: GIT_ENV });
    return r.stdout;
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : '';
    throw new WorkspaceError(`${what} failed in ${cwd}: ${stderr.trim().slice(0, 2000)}`, what, { cause: err });
  }
}
