import { execa } from 'execa';
import { EnvironmentGitError } from './errors.js';

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

/**
 * Runs git (or, with `script`, a `sh -c` script whose `$1`… are `args`) in `cwd` and returns its stdout untouched;
 * throws EnvironmentGitError naming the step with git's stderr.
 */
export async function gitOutput(
  cwd: string,
  step: string,
  args: readonly string[],
  options: { script?: string } = {},
): Promise<string> {
  const [file, argv] =
    options.script === undefined ? ['git', args] : ['sh', ['-c', `set -e\n${options.script}`, 'sh', ...args]];
  try {
    const r = await execa(file, argv, {
      cwd,
      env: GIT_ENV,
      maxBuffer: 256 * 1024 * 1024,
      stripFinalNewline: false,
    });
    return String(r.stdout);
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : '';
    throw new EnvironmentGitError(step, stderr, { cause: err });
  }
}
