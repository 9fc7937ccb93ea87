import { assign, fromPromise, setup } from 'xstate';
import {
  ModelNotConfiguredError,
  toolResult,
  type ContentBlockParam,
  type MessageParam,
  type ModelClient,
  type ModelResponse,
  type ToolUseBlock,
} from '@baton/model';
import {
  addUsage,
  emptyUsage,
  toErrorData,
  type AgentStop,
  type ErrorData,
  type Subtask,
  type Usage,
} from '@baton/protocol';
import { toolSpecs, type Tool, type ToolContext } from '@baton/tools';
import { recordError, type Failure } from './record-error.js';
import { editorSystemPrompt } from './system-prompt.js';
import { runToolBatch, type ToolCall, type ToolCallResult } from './tool-batch.js';

/** Limits of one editor session; each is a named stop. */
export interface EditorLimits {
  maxTurns: number;
  /** Input + output tokens over all turns. */
  maxTokens: number;
  /** Consecutive turns whose tool calls all failed. */
  maxToolErrors: number;
  /** The same call (tool + input) made this many times in a row. */
  maxRepeatedCalls: number;
  /** Wall-clock limit of the session. */
  deadlineMs: number;
}

/** Default limits (a subtask's budget overrides turns, tokens and wall time). */
export const DEFAULT_EDITOR_LIMITS: EditorLimits = {
  maxTurns: 40,
  maxTokens: 400_000,
  maxToolErrors: 5,
  maxRepeatedCalls: 3,
  deadlineMs: 20 * 60_000,
};

/** What an editor needs: the subtask, its worktree's tools, the model, and how to diff the worktree. */
export interface EditorInput {
  subtask: Subtask;
  tools: readonly Tool[];
  toolContext: ToolContext;
  model: ModelClient | undefined;
  limits: EditorLimits;
  /** The worktree's changes since the base commit. */
  diff: (signal: AbortSignal) => Promise<{ diff: string; files: string[] }>;
}

/** How an editor session ended. */
export interface EditorOutput {
  ok: boolean;
  stop: AgentStop;
  diff: string;
  files: string[];
  usage: Usage;
  summary: string;
  turns: number;
  error?: ErrorData;
  toolCalls: ToolCallResult[];
}

interface EditorContext extends Failure {
  input: EditorInput;
  system: string;
  messages: MessageParam[];
  turns: number;
  usage: Usage;
  toolErrorTurns: number;
  /** The last call's signature and how many times in a row it was made. */
  lastCall: { signature: string; times: number };
  pendingCalls: ToolCall[];
  toolCalls: ToolCallResult[];
  summary: string;
  diff: string;
  files: string[];
}

type EditorEvent = { type: 'CANCEL' };

const signature = (c: ToolCall) => `${c.name}:${JSON.stringify(c.input)}`;
const textOf = (r: ModelResponse) =>
  r.content
    .flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n')
    .trim();
const toolUses = (r: ModelResponse) => r.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');

/** A final state's output: the diff only when the session ended well (`end_turn`). */
function outcome(context: EditorContext, stop: AgentStop): EditorOutput {
  const ok = stop === 'end_turn';
  return {
    ok,
    stop,
    diff: ok ? context.diff : '',
    files: ok ? context.files : [],
    usage: context.usage,
    summary: context.summary,
    turns: context.turns,
    toolCalls: context.toolCalls,
    ...(context.error ? { error: context.error } : {}),
  };
}

/** Counts identical calls in a row across turns; any different call starts the count again. */
function repeats(last: EditorContext['lastCall'], calls: readonly ToolCall[]): EditorContext['lastCall'] {
  let current = last;
  for (const c of calls) {
    const sig = signature(c);
    current = sig === current.signature ? { signature: sig, times: current.times + 1 } : { signature: sig, times: 1 };
  }
  return current;
}

/**
 * The editor agent: preparing -> thinking (model call) -> acting (tool batch) -> thinking … ->
 * finalizing (diff) -> done. Every other stop is a named final state: maxTurns, tokenBudget,
 * toolErrors, repeatedCall, cancelled, deadline, failed. (A subtask with an edit program runs the recipe machine.)
 */
export const editorMachine = setup({
  types: {
    context: {} as EditorContext,
    events: {} as EditorEvent,
    input: {} as EditorInput,
    output: {} as EditorOutput,
  },
  actors: {
    prepare: fromPromise<string, EditorInput>(({ input }) => editorSystemPrompt(input.toolContext.root, input.subtask)),
    callModel: fromPromise<
      ModelResponse,
      { model: ModelClient; system: string; tools: readonly Tool[]; messages: MessageParam[] }
    >(({ input, signal }) =>
      input.model.call(
        { system: input.system, tools: toolSpecs([...input.tools]), messages: input.messages },
        { signal },
      ),
    ),
    runTools: fromPromise<ToolCallResult[], { tools: readonly Tool[]; calls: ToolCall[]; ctx: ToolContext }>(
      ({ input, signal }) => runToolBatch(input.tools, input.calls, { ...input.ctx, signal }),
    ),
    makeDiff: fromPromise<{ diff: string; files: string[] }, EditorInput>(({ input, signal }) => input.diff(signal)),
  },
  guards: {
    hasModel: ({ context }) => context.input.model !== undefined,
    overTokens: ({ context }) =>
      context.usage.inputTokens + context.usage.outputTokens > context.input.limits.maxTokens,
    noToolCalls: ({ context }) => context.pendingCalls.length === 0,
    outOfTurns: ({ context }) => context.turns >= context.input.limits.maxTurns,
    tooManyToolErrors: ({ context }) => context.toolErrorTurns >= context.input.limits.maxToolErrors,
    repeating: ({ context }) => context.lastCall.times >= context.input.limits.maxRepeatedCalls,
  },
  actions: { recordError: assign(recordError) },
  delays: { deadline: ({ context }) => context.input.limits.deadlineMs },
}).createMachine({
  id: 'editor',
  context: ({ input }) => ({
    input,
    system: '',
    messages: [],
    turns: 0,
    usage: emptyUsage(),
    toolErrorTurns: 0,
    lastCall: { signature: '', times: 0 },
    pendingCalls: [],
    toolCalls: [],
    summary: '',
    diff: '',
    files: [],
  }),
  initial: 'preparing',
  on: { CANCEL: '.cancelled' },
  after: { deadline: '.deadline' },
  states: {
    preparing: {
      invoke: {
        src: 'prepare',
        input: ({ context }) => context.input,
        onDone: [
          {
            guard: 'hasModel',
            target: 'thinking',
            actions: assign({
              system: ({ event }) => event.output,
              messages: ({ context }) => [
                { role: 'user', content: `Do the subtask "${context.input.subtask.title}" now.` },
              ],
            }),
          },
          {
            target: 'failed',
            actions: assign({
              error: () => toErrorData(new ModelNotConfiguredError('this subtask')),
              failedWith: () => 'model_error' as const,
            }),
          },
        ],
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    thinking: {
      invoke: {
        src: 'callModel',
        input: ({ context }) => ({
          model: context.input.model!,
          system: context.system,
          tools: context.input.tools,
          messages: context.messages,
        }),
        onDone: {
          target: 'deciding',
          actions: assign({
            turns: ({ context }) => context.turns + 1,
            usage: ({ context, event }) => addUsage(context.usage, event.output.usage),
            messages: ({ context, event }) => [
              ...context.messages,
              { role: 'assistant', content: event.output.content as ContentBlockParam[] },
            ],
            pendingCalls: ({ event }) =>
              toolUses(event.output).map((b) => ({ id: b.id, name: b.name, input: b.input })),
            summary: ({ context, event }) => textOf(event.output) || context.summary,
          }),
        },
        onError: { target: 'failed', actions: { type: 'recordError', params: { stop: 'model_error' } } },
      },
    },
    deciding: {
      always: [
        { guard: 'overTokens', target: 'tokenBudget' },
        { guard: 'noToolCalls', target: 'finalizing' },
        { target: 'acting' },
      ],
    },
    acting: {
      invoke: {
        src: 'runTools',
        input: ({ context }) => ({
          tools: context.input.tools,
          calls: context.pendingCalls,
          ctx: context.input.toolContext,
        }),
        onDone: {
          target: 'checking',
          actions: assign({
            messages: ({ context, event }) => [
              ...context.messages,
              { role: 'user', content: event.output.map((r) => toolResult(r.id, r.content, !r.ok)) },
            ],
            toolErrorTurns: ({ context, event }) =>
              event.output.length > 0 && event.output.every((r) => !r.ok) ? context.toolErrorTurns + 1 : 0,
            lastCall: ({ context }) => repeats(context.lastCall, context.pendingCalls),
            toolCalls: ({ context, event }) => [...context.toolCalls, ...event.output],
            pendingCalls: () => [],
          }),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    checking: {
      always: [
        { guard: 'tooManyToolErrors', target: 'toolErrors' },
        { guard: 'repeating', target: 'repeatedCall' },
        { guard: 'outOfTurns', target: 'maxTurns' },
        { target: 'thinking' },
      ],
    },
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
    done: { type: 'final', output: ({ context }) => outcome(context, 'end_turn') },
    maxTurns: { type: 'final', output: ({ context }) => outcome(context, 'max_turns') },
    tokenBudget: { type: 'final', output: ({ context }) => outcome(context, 'token_budget') },
    toolErrors: { type: 'final', output: ({ context }) => outcome(context, 'tool_errors') },
    repeatedCall: { type: 'final', output: ({ context }) => outcome(context, 'repeated_call') },
    cancelled: { type: 'final', output: ({ context }) => outcome(context, 'cancelled') },
    deadline: { type: 'final', output: ({ context }) => outcome(context, 'deadline') },
    failed: { type: 'final', output: ({ context }) => outcome(context, context.failedWith ?? 'error') },
  },
  // XState types a final state's output as unknown: each one above is built by outcome().
  output: ({ event }) => event.output as EditorOutput,
});
