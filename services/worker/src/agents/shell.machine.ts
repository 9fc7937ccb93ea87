import { assign, fromPromise, setup } from 'xstate';
import type { AgentStop, CommandOutput, ErrorData } from '@baton/protocol';
import type { Authorization, CommandLauncher } from '@baton/tools';
import { recordError, type Failure } from './record-error.js';
import { deniedCommandOutput, runCommandOutput } from './run-command-output.js';

/** What a shell agent needs. */
export interface ShellInput {
  commands: string[];
  cwd: string;
  authorize: (command: string) => Promise<Authorization>;
  timeoutMs: number;
  /** How each command starts (the worktree's environment); default `bash -c`. */
  launch?: CommandLauncher;
  /** The worktree's changes since the base commit. */
  diff: (signal: AbortSignal) => Promise<{ diff: string; files: string[] }>;
}

/** How a shell agent ended. */
export interface ShellOutput {
  ok: boolean;
  stop: AgentStop;
  commands: CommandOutput[];
  diff: string;
  files: string[];
  error?: ErrorData;
}

interface ShellContext extends Failure {
  input: ShellInput;
  commands: CommandOutput[];
  failed: boolean;
  diff: string;
  files: string[];
}

/** A final state's output: the commands run and, when they all passed, the files they changed. */
function outcome(context: ShellContext, ok: boolean, stop: AgentStop): ShellOutput {
  return {
    ok,
    stop,
    commands: context.commands,
    diff: context.diff,
    files: context.files,
    ...(context.error ? { error: context.error } : {}),
  };
}

async function runInOrder(
  input: ShellInput,
  signal: AbortSignal,
): Promise<{ outputs: CommandOutput[]; failed: boolean }> {
  const outputs: CommandOutput[] = [];
  for (const command of input.commands) {
    // Cancelled: the current command was killed; the rest must not start.
    if (signal.aborted) return { outputs, failed: true };
    const verdict = await input.authorize(command);
    if (!verdict.allowed) {
      outputs.push(deniedCommandOutput(command, verdict.reason));
      return { outputs, failed: true };
    }
    const { output: out } = await runCommandOutput(command, {
      cwd: input.cwd,
      timeoutMs: input.timeoutMs,
      signal,
      ...(input.launch ? { launch: input.launch } : {}),
    });
    outputs.push(out);
    if (out.exitCode !== 0) return { outputs, failed: true };
  }
  return { outputs, failed: false };
}

/**
 * The shell agent: running (each command checked against the policy, in order, stopping at the
 * first failure) -> finalizing (the files the commands changed become the diff) -> done | failed | cancelled.
 */
export const shellMachine = setup({
  types: {
    context: {} as ShellContext,
    events: {} as { type: 'CANCEL' },
    input: {} as ShellInput,
    output: {} as ShellOutput,
  },
  actors: {
    runCommands: fromPromise<{ outputs: CommandOutput[]; failed: boolean }, ShellInput>(({ input, signal }) =>
      runInOrder(input, signal),
    ),
    makeDiff: fromPromise<{ diff: string; files: string[] }, ShellInput>(({ input, signal }) => input.diff(signal)),
  },
  guards: { commandFailed: ({ context }) => context.failed },
  actions: { recordError: assign(recordError) },
}).createMachine({
  id: 'shell',
  context: ({ input }) => ({ input, commands: [], failed: false, diff: '', files: [] }),
  initial: 'running',
  on: { CANCEL: '.cancelled' },
  states: {
    running: {
      invoke: {
        src: 'runCommands',
        input: ({ context }) => context.input,
        onDone: {
          target: 'checking',
          actions: assign({
            commands: ({ event }) => event.output.outputs,
            failed: ({ event }) => event.output.failed,
          }),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    checking: { always: [{ guard: 'commandFailed', target: 'failed' }, { target: 'finalizing' }] },
    finalizing: {
      invoke: {
        src: 'makeDiff',
        input: ({ context }) => context.input,
        onDone: {
          target: 'done',
          actions: assign({ diff: ({ event }) => event.output.diff, files: ({ event }) => event.output.files }),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    done: { type: 'final', output: ({ context }) => outcome(context, true, 'completed') },
    failed: { type: 'final', output: ({ context }) => outcome(context, false, context.failedWith ?? 'command_failed') },
    cancelled: { type: 'final', output: ({ context }) => outcome(context, false, 'cancelled') },
  },
  // XState types a final state's output as unknown: each one above is built by outcome().
  output: ({ event }) => event.output as ShellOutput,
});
