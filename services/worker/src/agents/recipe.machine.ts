import { assign, fromPromise, setup } from 'xstate';
import type { AgentStop, EditProgram, ErrorData } from '@baton/protocol';
import { recordError, type Failure } from './record-error.js';

/** What a recipe agent needs: the subtask's edit program and how to apply it. */
export interface RecipeInput {
  program: EditProgram;
  /**
   * Applies the program and returns its diff against the base commit: previewed from the commit or a shared checkout,
   * or, for a codemod command, run in a private worktree.
   */
  apply: (program: EditProgram, signal: AbortSignal) => Promise<{ diff: string; files: string[] }>;
  /** Wall-clock limit (the subtask's `maxWallMs`, as for an editor). */
  deadlineMs: number;
}

/** How a recipe agent ended. */
export interface RecipeOutput {
  ok: boolean;
  stop: AgentStop;
  diff: string;
  files: string[];
  summary: string;
  error?: ErrorData;
}

interface RecipeContext extends Failure {
  input: RecipeInput;
  diff: string;
  files: string[];
}

/** A final state's output: the program's diff only when it applied. */
function outcome(context: RecipeContext, stop: AgentStop): RecipeOutput {
  const ok = stop === 'completed';
  return {
    ok,
    stop,
    diff: ok ? context.diff : '',
    files: ok ? context.files : [],
    summary: ok ? `recipe changed ${context.files.length} files` : '',
    ...(context.error ? { error: context.error } : {}),
  };
}

/**
 * The recipe agent: a deterministic edit program, no model, no memory files. applying -> done; every other stop is
 * a named final state: failed, cancelled, deadline.
 */
export const recipeMachine = setup({
  types: {
    context: {} as RecipeContext,
    events: {} as { type: 'CANCEL' },
    input: {} as RecipeInput,
    output: {} as RecipeOutput,
  },
  actors: {
    applyProgram: fromPromise<{ diff: string; files: string[] }, RecipeInput>(({ input, signal }) =>
      input.apply(input.program, signal),
    ),
  },
  actions: { recordError: assign(recordError) },
  delays: { deadline: ({ context }) => context.input.deadlineMs },
}).createMachine({
  id: 'recipe',
  context: ({ input }) => ({ input, diff: '', files: [] }),
  initial: 'applying',
  on: { CANCEL: '.cancelled' },
  after: { deadline: '.deadline' },
  states: {
    applying: {
      invoke: {
        src: 'applyProgram',
        input: ({ context }) => context.input,
        onDone: {
          target: 'done',
          actions: assign({ diff: ({ event }) => event.output.diff, files: ({ event }) => event.output.files }),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    done: { type: 'final', output: ({ context }) => outcome(context, 'completed') },
    failed: { type: 'final', output: ({ context }) => outcome(context, context.failedWith ?? 'error') },
    cancelled: { type: 'final', output: ({ context }) => outcome(context, 'cancelled') },
    deadline: { type: 'final', output: ({ context }) => outcome(context, 'deadline') },
  },
  // XState types a final state's output as unknown: each one above is built by outcome().
  output: ({ event }) => event.output as RecipeOutput,
});
