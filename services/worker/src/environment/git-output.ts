import { runGit, runGitScript } from '@baton/git';

/**
 * Runs git (or, with `script`, a `sh -c` script whose `$1`… are `args`) in `cwd` through @baton/git and returns its
 * stdout; throws @baton/git's GitError naming the step.
 */
export async function gitOutput(
  cwd: string,
  step: string,
  args: readonly string[],
  options: { script?: string } = {},
): Promise<string> {
  if (options.script !== undefined) return runGitScript(cwd, step, options.script, args);
  return (await runGit(cwd, args, { step })).stdout;
}
