import { z } from 'zod';
import { runCommand } from './run-command.js';
import type { Tool, ToolContext, ToolOutcome } from './tool.js';
import { DEFAULT_BASH_TIMEOUT_MS, DEFAULT_OUTPUT_LIMIT } from './tool.js';
import { truncateOutput } from './truncate-output.js';

/** Input of the `bash` tool. */
export const bashInput = z.strictObject({
  command: z
    .string()
    .min(1)
    .describe(
      'The bash command to run in the repository root (bash -c). No terminal: commands must not wait for input.',
    ),
});
/** Input of the `bash` tool. */
export type BashInput = z.infer<typeof bashInput>;

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
  if (ctx.signal?.aborted)
    return { ok: false, content: 'The command was cancelled before it started; it did not run.' };
  const verdict = await ctx.authorize({ tool: 'Bash', command });
  if (!verdict.allowed) return { ok: false, content: `Permission denied; the command did not run: ${verdict.reason}` };
  if (ctx.signal?.aborted)
    return { ok: false, content: 'The command was cancelled before it started; it did not run.' };

  const timeoutMs = ctx.bashTimeoutMs ?? DEFAULT_BASH_TIMEOUT_MS;
  const result = await runCommand(command, {
    cwd: ctx.root,
    timeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.env ? { env: ctx.env } : {}),
    ...(ctx.launch ? { launch: ctx.launch } : {}),
  });
  const output = formatOutput(result.stdout, result.stderr, ctx.outputLimit ?? DEFAULT_OUTPUT_LIMIT);
  if (result.stop === 'timeout')
    return {
      ok: false,
      content: `The command timed out after ${timeoutMs} ms; its process group was killed.\n${output}`,
    };
  if (result.stop === 'abort')
    return { ok: false, content: `The command was cancelled; its process group was killed.\n${output}` };
  if (result.exitCode === undefined)
    return { ok: false, content: `The command did not finish normally: ${result.failure}.\n${output}` };
  return { ok: result.exitCode === 0, content: `exit code: ${result.exitCode}\n${output}` };
}

function formatOutput(stdout: string, stderr: string, limit: number): string {
  const stderrBudget = Math.min(stderr.length, Math.floor(limit / 3));
  const stdoutPart = stdout.length === 0 ? '(empty)' : truncateOutput(stdout.replace(/\n$/, ''), limit - stderrBudget);
  const stderrPart =
    stderr.length === 0 ? '(empty)' : truncateOutput(stderr.replace(/\n$/, ''), Math.max(stderrBudget, 200));
  return `stdout:\n${stdoutPart}\nstderr:\n${stderrPart}`;
}
