import type { z } from 'zod';
import type { FileTracker } from './file-tracker.js';
import type { CommandLauncher } from './run-command.js';

/** What a tool reports back; `ok: false` becomes an `is_error` tool_result for the model. */
export type ToolOutcome = {
  ok: boolean;
  content: string;
  /** Repository-relative paths (posix separators) the call wrote. */
  changedPaths?: string[];
};

/** An action a tool needs permission for before it touches anything. */
export type AuthorizeAction = { tool: 'Bash'; command: string } | { tool: 'Edit' | 'Write'; path: string };

/** The worker's verdict on an {@link AuthorizeAction}; `reason` is shown to the model when denied. */
export type Authorization = { allowed: boolean; reason: string };

/** Everything a tool call may use: the worktree, the read-before-edit tracker, cancellation and policy. */
export interface ToolContext {
  /** Absolute path of the worktree the tools are confined to. */
  root: string;
  /** Per-actor record of which files were viewed (or written) and in which state. */
  files: FileTracker;
  /** Aborting cancels the call; a running bash command has its whole process group killed. */
  signal?: AbortSignal;
  /** Asked before every write and every bash command; the tool only enforces the verdict. */
  authorize: (action: AuthorizeAction) => Promise<Authorization>;
  /** Base environment for bash (default `process.env`); secrets are scrubbed from it either way. */
  env?: Record<string, string>;
  /** How bash starts (default `bash -c`): the worktree's environment runs it in its own mount namespace. */
  launch?: CommandLauncher;
  /** Wall-clock limit of one bash command (default 120 000 ms). */
  bashTimeoutMs?: number;
  /** Maximum characters of output a call returns (default 30 000). */
  outputLimit?: number;
}

/**
 * One tool the model can call. Tools never throw for failures the model can fix (bad path,
 * no match, denied command): they return `ok: false`. They throw only for programmer errors.
 */
export interface Tool<I = unknown> {
  name: string;
  description: string;
  /** Validates raw model input; its JSON Schema (io: 'input') is what the model sees. */
  inputSchema: z.ZodType<I>;
  /** True when no call of this tool can change the worktree. */
  readOnly: boolean;
  /**
   * Per-call refinement of `readOnly` for tools that mix reads and writes (the editor's
   * `view` is read-only, its other commands are not). Absent means `readOnly` holds for every call.
   */
  isReadOnly?(input: I): boolean;
  run(input: I, ctx: ToolContext): Promise<ToolOutcome>;
}

/** Default character budget of one tool result. */
export const DEFAULT_OUTPUT_LIMIT = 30_000;

/** Default wall-clock limit of one bash command, in milliseconds. */
export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
