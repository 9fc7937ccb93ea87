import type { RunGitOptions } from './exec-git.js';
import { execGit } from './exec-git.js';

/**
 * Runs several git commands as one `sh -c` script (`set -e`; `$1`, `$2`… are `args`, never parsed by the shell) with
 * the same environment and errors as runGit, and returns stdout untouched. Each process Node starts is a fork of the
 * whole caller (synchronous, milliseconds in a process of a few hundred MB, during which its event loop stops); a
 * shell forking git is cheap, so the steps of one operation go out as one process. The script must pass
 * `--no-ext-diff --no-textconv` to diffing commands itself.
 */
export async function runGitScript(
  cwd: string,
  step: string,
  script: string,
  args: readonly string[],
  options: Omit<RunGitOptions, 'step'> = {},
): Promise<string> {
  const out = await execGit('sh', cwd, ['-c', `set -e\n${script}`, 'sh', ...args], step, options);
  return out.stdout.toString('utf8');
}
