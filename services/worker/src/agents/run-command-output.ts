import type { CommandOutput } from '@baton/protocol';
import { runCommand, truncateOutput, type CommandLauncher } from '@baton/tools';

/** Options of runCommandOutput. */
export interface RunCommandOutputOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Characters kept of stdout and of stderr each in the record. */
  outputLimit?: number;
  env?: Record<string, string | undefined>;
  /** How the command starts (the worktree's environment); default `bash -c`. */
  launch?: CommandLauncher;
}

/** A finished command: its capped record, and its whole output (parsers read the whole thing). */
export interface CommandRun {
  output: CommandOutput;
  stdout: string;
  stderr: string;
}

const chomp = (s: string) => s.replace(/\r?\n$/, '');

/**
 * Runs a tester or shell command through @baton/tools' runCommand (own process group, scrubbed env,
 * group killed on timeout or abort) and records it as a CommandOutput. Never throws for the command's own failure.
 */
export async function runCommandOutput(command: string, options: RunCommandOutputOptions): Promise<CommandRun> {
  const limit = options.outputLimit ?? 50_000;
  const r = await runCommand(command, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.launch ? { launch: options.launch } : {}),
  });
  const stdout = chomp(r.stdout);
  const stderr = r.failure && r.exitCode === undefined && r.stderr === '' ? r.failure : chomp(r.stderr);
  const output: CommandOutput = {
    command,
    exitCode: r.exitCode ?? null,
    stdout: truncateOutput(stdout, limit),
    stderr: truncateOutput(stderr, limit),
    truncated: stdout.length > limit || stderr.length > limit,
    timedOut: r.stop === 'timeout',
    durationMs: r.durationMs,
  };
  return { output, stdout, stderr };
}

/** The record of a command the permission policy refused: it never ran (no exit code), the reason on stderr. */
export function deniedCommandOutput(command: string, reason: string): CommandOutput {
  return {
    command,
    exitCode: null,
    stdout: '',
    stderr: `permission denied: ${reason}`,
    truncated: false,
    timedOut: false,
    durationMs: 0,
  };
}
