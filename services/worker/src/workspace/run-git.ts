import { execa } from 'execa';
import { WorkspaceError } from '../errors.js';

/** Runs git with no prompts and a fixed identity; throws WorkspaceError with git's stderr. */
export async function git(cwd: string, args: string[], options: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
  try {
    const r = await execa('git', args, {
      cwd,
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.signal ? { cancelSignal: options.signal } : {}),
      maxBuffer: 512 * 1024 * 1024,
      env: { GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'Baton', GIT_AUTHOR_EMAIL: 'baton@localhost', GIT_COMMITTER_NAME: 'Baton', GIT_COMMITTER_EMAIL: 'baton@localhost' },
    });
    return r.stdout;
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : '';
    throw new WorkspaceError(`git ${args.join(' ')} failed in ${cwd}: ${stderr.trim().slice(0, 2000)}`, `git ${args.join(' ')}`, { cause: err });
  }
}
