import { execa } from 'execa';
import { z } from 'zod';
import { scrubEnv } from './scrub-env.js';
import type { Tool, ToolContext, ToolOutcome } from './tool.js';
import { DEFAULT_BASH_TIMEOUT_MS, DEFAULT_OUTPUT_LIMIT } from './tool.js';
import { truncateOutput } from './truncate-output.js';

/** Input of the `bash` tool. */
export const bashInput = z.strictObject({
  command: z.string().min(1).describe('The bash command to run in the repository root (bash -c). No terminal: commands must not wait for input.'),
});
/** Input of the `bash` tool. */
export type BashInput = z.infer<typeof bashInput>;

/** Why a command stopped before finishing on its own. */
type Stop = 'timeout' | 'abort';

/**
 * Creates the `bash` tool: asks `ctx.authorize` first (a denied command never runs), then runs
 * `bash -c` in the worktree in its own process group with a scrubbed environment, a timeout and
 * capped output. On timeout or abort the whole group is killed; processes the command left in the
 * background are killed when it exits. A non-zero exit code is reported as `ok: false`.
 */
export function createBashTool(): Tool<BashInput> {
  return {
    name: 'bash',
    description:
      'Run a shell command (bash -c) in the repository root and get its exit code, stdout and stderr. Each call is a fresh shell: no state carries over, nothing may run in the background after the command ends, and there is no terminal for input. Long output is truncated in the middle.',
    inputSchema: bashInput,
    readOnly: false,
    run: (input, ctx) => runBash(input.command, ctx),
  };
}

async function runBash(command: string, ctx: ToolContext): Promise<ToolOutcome> {
  if (ctx.signal?.aborted) return { ok: false, content: 'The command was cancelled before it started; it did not run.' };
  const verdict = await ctx.authorize({ tool: 'Bash', command });
  if (!verdict.allowed) return { ok: false, content: `Permission denied; the command did not run: ${verdict.reason}` };
  if (ctx.signal?.aborted) return { ok: false, content: 'The command was cancelled before it started; it did not run.' };

  const timeoutMs = ctx.bashTimeoutMs ?? DEFAULT_BASH_TIMEOUT_MS;
  const subprocess = execa('bash', ['-c', command], {
    cwd: ctx.root,
    env: scrubEnv(ctx.env ?? process.env),
    extendEnv: false,
    // Its own process group, so one kill(-pid) reaches every child and grandchild.
    detached: true,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  });
  let stop: Stop | undefined;
  const killGroup = (): void => {
    if (subprocess.pid !== undefined) killProcessGroup(subprocess.pid);
  };
  const stopWith = (reason: Stop) => () => {
    stop ??= reason;
    killGroup();
  };
  const timer = setTimeout(stopWith('timeout'), timeoutMs);
  const onAbort = stopWith('abort');
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  // Background children keep stdout open and would hold the call until the timeout.
  subprocess.once('exit', killGroup);
  try {
    const result = await subprocess;
    const limit = ctx.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
    const output = formatOutput(String(result.stdout), String(result.stderr), limit);
    if (stop === 'timeout') return { ok: false, content: `The command timed out after ${timeoutMs} ms; its process group was killed.\n${output}` };
    if (stop === 'abort') return { ok: false, content: `The command was cancelled; its process group was killed.\n${output}` };
    if (result.exitCode === undefined) {
      const why = result.isMaxBuffer ? 'it produced more output than can be buffered' : (result.signal ?? result.shortMessage);
      return { ok: false, content: `The command did not finish normally: ${why}.\n${output}` };
    }
    return { ok: result.exitCode === 0, content: `exit code: ${result.exitCode}\n${output}` };
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
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

function formatOutput(stdout: string, stderr: string, limit: number): string {
  const stderrBudget = Math.min(stderr.length, Math.floor(limit / 3));
  const stdoutPart = stdout.length === 0 ? '(empty)' : truncateOutput(stdout.replace(/\n$/, ''), limit - stderrBudget);
  const stderrPart = stderr.length === 0 ? '(empty)' : truncateOutput(stderr.replace(/\n$/, ''), Math.max(stderrBudget, 200));
  return `stdout:\n${stdoutPart}\nstderr:\n${stderrPart}`;
}
