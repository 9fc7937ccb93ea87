import { hostname } from 'node:os';
import { nanoid } from 'nanoid';
import {
  createActor,
  toPromise,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type OutputFrom,
} from 'xstate';
import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { compilePolicy } from '@baton/policy';
import { AgentEvent, actorIdOf, emptyUsage, toErrorData, type Result, type WorkItem } from '@baton/protocol';
import type { RecipePool } from '@baton/recipes';
import { createFileTracker, createToolset } from '@baton/tools';
import { DEFAULT_EDITOR_LIMITS, editorMachine, type EditorLimits } from './agents/editor.machine.js';
import { agentEventInspector } from './agents/inspection.js';
import { shellMachine } from './agents/shell.machine.js';
import { testerMachine } from './agents/tester.machine.js';
import { createAuthorizer } from './authorizer.js';
import { diffFromChanges } from './workspace/diff-from-changes.js';
import type { Worktree, Workspaces } from './workspace/workspaces.js';

/** What running one work item needs from its worker. */
export interface ItemDeps {
  bus: Bus;
  workerId: string;
  workspaces: Workspaces;
  recipes: RecipePool;
  model: ModelClient | undefined;
  log: Logger;
  commandTimeoutMs: number;
  editorLimits: Partial<EditorLimits>;
}

/** A running item: its cancel switch and the promise of its Result. */
export interface RunningItem {
  cancel(reason: string): void;
  result: Promise<Result>;
  /**
   * Settles once the item's scratch worktree is removed (never rejects). The Result does not wait for it: removing
   * a checkout takes milliseconds to seconds that nobody downstream needs to wait for.
   */
  cleanup: Promise<void>;
}

async function runActor<L extends AnyStateMachine>(
  logic: L,
  input: InputFrom<L>,
  item: WorkItem,
  deps: ItemDeps,
  signal: AbortSignal,
): Promise<OutputFrom<L>> {
  const actorId = actorIdOf(item.subtask.id, item.attempt);
  const subject = deps.bus.subjects.events(item.runId, actorId);
  const inspect = agentEventInspector(
    { runId: item.runId, subtaskId: item.subtask.id, workerId: deps.workerId, actorId, machineId: logic.id },
    (event) => {
      deps.bus
        .publish(subject, AgentEvent, event)
        .catch((err: unknown) => deps.log.warn({ err }, 'could not publish an agent event'));
    },
  );
  const actor = createActor(logic, { input, inspect });
  const onAbort = () => actor.send({ type: 'CANCEL' } as EventFromLogic<L>);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    actor.start();
    // A cancel that came while the worktree was being prepared has already fired: listeners never see it.
    if (signal.aborted) onAbort();
    return await toPromise(actor);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs one work item: a scratch worktree (or, for recipe programs, the shared read-only checkout)
 * at the item's base commit, the agent machine of its kind, then the Result. Never throws: a failure
 * is a Result with `ok: false` and the error, so the coordinator decides what to do.
 */
export function runItem(item: WorkItem, deps: ItemDeps): RunningItem {
  const abort = new AbortController();
  const startedAt = Date.now();
  const log = deps.log.child({
    runId: item.runId,
    subtaskId: item.subtask.id,
    attempt: item.attempt,
    kind: item.subtask.kind,
  });
  const base = {
    v: 1 as const,
    runId: item.runId,
    subtaskId: item.subtask.id,
    attempt: item.attempt,
    workerId: deps.workerId,
    baseCommit: item.baseCommit,
    startedAt,
  };

  let cleanup: Promise<void> = Promise.resolve();
  const work = async (): Promise<Result> => {
    const policy = compilePolicy(item.policy);
    const authorize = createAuthorizer({ bus: deps.bus, item, workerId: deps.workerId, policy, log });
    const { subtask } = item;
    const program = subtask.program;
    if (subtask.kind === 'editor' && program && !(program.recipe.kind === 'codemod' && program.recipe.command)) {
      const out = await runActor(
        editorMachine,
        {
          subtask,
          tools: [],
          model: undefined,
          limits: limits(item, deps),
          toolContext: { root: '', files: createFileTracker(), authorize },
          diff: () => Promise.resolve({ diff: '', files: [] }),
          runProgram: async (p) => {
            // A rename reads the commit's files straight from git; other programs read a shared checkout.
            const { changed } =
              p.recipe.kind === 'rename'
                ? await deps.recipes.previewCommit(
                    await deps.workspaces.repository(item.repo, item.baseCommit),
                    item.baseCommit,
                    p,
                  )
                : await deps.workspaces.withCheckout(item.repo, item.baseCommit, (root) =>
                    deps.recipes.preview(root, p),
                  );
            return {
              diff: diffFromChanges(changed),
              files: changed.filter((c) => c.before !== c.after).map((c) => c.path),
            };
          },
        },
        item,
        deps,
        abort.signal,
      );
      return {
        ...base,
        ok: out.ok,
        stop: out.stop,
        diff: out.diff,
        filesChanged: out.files,
        commands: [],
        usage: out.usage,
        summary: out.summary,
        ...(out.error ? { error: out.error } : {}),
        finishedAt: Date.now(),
      };
    }

    const commands = subtask.commands ?? item.testCommands;
    const authorizeCommand = (command: string) => authorize({ tool: 'Bash', command });
    const tester = async (cwd: string): Promise<Result> => {
      const out = await runActor(
        testerMachine,
        { commands, cwd, authorize: authorizeCommand, timeoutMs: deps.commandTimeoutMs, retryFailed: true },
        item,
        deps,
        abort.signal,
      );
      return {
        ...base,
        ok: out.ok,
        stop: out.stop,
        diff: '',
        filesChanged: [],
        testReport: out.report,
        commands: out.commands,
        usage: emptyUsage(),
        summary: `${out.report.passed} passed, ${out.report.failed} failed`,
        ...(out.error ? { error: out.error } : {}),
        finishedAt: Date.now(),
      };
    };
    // A tester with nothing to run (no test commands given or found) needs no checkout: writing and removing a
    // worktree of a large repository only to run nothing took seconds.
    if (subtask.kind === 'tester' && commands.length === 0) return tester(deps.workspaces.dir);

    const tree: Worktree = await deps.workspaces.worktree(
      item.repo,
      item.baseCommit,
      `${item.runId}-${subtask.id}-${item.attempt}-${nanoid(6)}`,
    );
    try {
      if (subtask.kind === 'editor') {
        const out = await runActor(
          editorMachine,
          {
            subtask,
            tools: createToolset(),
            model: deps.model,
            limits: limits(item, deps),
            toolContext: {
              root: tree.dir,
              files: createFileTracker(),
              authorize,
              bashTimeoutMs: deps.commandTimeoutMs,
            },
            diff: () => tree.diff(),
            runProgram: async (p) => {
              // A codemod command edits files in place: only in a private worktree, and only if the policy allows it.
              const verdict = await authorize({
                tool: 'Bash',
                command: p.recipe.kind === 'codemod' ? (p.recipe.command ?? '') : '',
              });
              if (!verdict.allowed) throw new Error(`the codemod command was denied: ${verdict.reason}`);
              await deps.recipes.run(tree.dir, p);
              return tree.diff();
            },
          },
          item,
          deps,
          abort.signal,
        );
        return {
          ...base,
          ok: out.ok,
          stop: out.stop,
          diff: out.diff,
          filesChanged: out.files,
          commands: [],
          usage: out.usage,
          summary: out.summary,
          ...(out.error ? { error: out.error } : {}),
          finishedAt: Date.now(),
        };
      }
      if (subtask.kind === 'tester') return await tester(tree.dir);
      const out = await runActor(
        shellMachine,
        {
          commands,
          cwd: tree.dir,
          authorize: authorizeCommand,
          timeoutMs: deps.commandTimeoutMs,
          diff: () => tree.diff(),
        },
        item,
        deps,
        abort.signal,
      );
      return {
        ...base,
        ok: out.ok,
        stop: out.stop,
        diff: out.diff,
        filesChanged: out.files,
        commands: out.commands,
        usage: emptyUsage(),
        summary: `${out.commands.length} commands`,
        ...(out.error ? { error: out.error } : {}),
        finishedAt: Date.now(),
      };
    } finally {
      cleanup = tree
        .remove()
        .catch((err: unknown) => log.warn({ err, dir: tree.dir }, 'could not remove a scratch worktree'));
    }
  };

  const result = work().catch((err: unknown): Result => {
    log.error({ err }, 'work item failed');
    return {
      ...base,
      ok: false,
      stop: abort.signal.aborted ? 'cancelled' : 'error',
      diff: '',
      filesChanged: [],
      commands: [],
      usage: emptyUsage(),
      summary: '',
      error: toErrorData(err),
      finishedAt: Date.now(),
    };
  });
  return {
    cancel: (reason) => abort.abort(new Error(reason)),
    result,
    get cleanup() {
      return result.then(() => cleanup);
    },
  };
}

function limits(item: WorkItem, deps: ItemDeps): EditorLimits {
  const b = item.subtask.budget;
  return {
    ...DEFAULT_EDITOR_LIMITS,
    ...deps.editorLimits,
    ...(b.maxTurns ? { maxTurns: b.maxTurns } : {}),
    ...(b.maxTokens ? { maxTokens: b.maxTokens } : {}),
    ...(b.maxWallMs ? { deadlineMs: b.maxWallMs } : {}),
  };
}

/** This machine's name, for heartbeats. */
export const HOST = hostname();
