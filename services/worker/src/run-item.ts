import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { compilePolicy } from '@baton/policy';
import { toErrorData, type EditProgram, type Result, type WorkItem } from '@baton/protocol';
import type { RecipePool } from '@baton/recipes';
import { createFileTracker, createToolset, type CommandLauncher } from '@baton/tools';
import { DEFAULT_EDITOR_LIMITS, editorMachine, type EditorLimits } from './agents/editor.machine.js';
import { recipeMachine } from './agents/recipe.machine.js';
import { shellMachine } from './agents/shell.machine.js';
import { testerMachine } from './agents/tester.machine.js';
import { createAuthorizer } from './authorizer.js';
import { runActor } from './run-actor.js';
import { toResult, type AgentOutcome } from './to-result.js';
import { diffFromChanges } from './workspace/diff-from-changes.js';
import { openAttemptTree, type AttemptTree } from './environment/attempt-worktree.js';
import type { WorktreeEnvironments } from './environment/worktree-environments.js';
import type { Workspaces } from './workspace/workspaces.js';

/** What running one work item needs from its worker. */
export interface ItemDeps {
  bus: Bus;
  workerId: string;
  workspaces: Workspaces;
  /** Each attempt's worktree and its environment (node_modules and the like), reused across attempts. */
  environments: WorktreeEnvironments;
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

  let cleanup: Promise<void> = Promise.resolve();
  const work = async (): Promise<AgentOutcome> => {
    const policy = compilePolicy(item.policy);
    const authorize = createAuthorizer({ bus: deps.bus, item, workerId: deps.workerId, policy, log });
    const { subtask } = item;
    const program = subtask.program;
    const deadlineMs = limits(item, deps).deadlineMs;
    // A recipe program without a command computes its edits from the base commit: no scratch worktree.
    if (subtask.kind === 'editor' && program && !(program.recipe.kind === 'codemod' && program.recipe.command)) {
      const apply = (p: EditProgram) => preview(item, deps, p);
      return runActor(recipeMachine, { program, apply, deadlineMs }, item, deps, abort.signal);
    }

    const commands = subtask.commands ?? item.testCommands;
    const authorizeCommand = (command: string) => authorize({ tool: 'Bash', command });
    const tester = async (cwd: string, launch?: CommandLauncher): Promise<AgentOutcome> => {
      const input = {
        commands,
        cwd,
        authorize: authorizeCommand,
        timeoutMs: deps.commandTimeoutMs,
        retryFailed: true,
        ...(launch ? { launch } : {}),
      };
      const out = await runActor(testerMachine, input, item, deps, abort.signal);
      return { ...out, testReport: out.report, summary: `${out.report.passed} passed, ${out.report.failed} failed` };
    };
    // A tester with nothing to run (no test commands given or found) needs no checkout: writing and removing a
    // worktree of a large repository only to run nothing took seconds.
    if (subtask.kind === 'tester' && commands.length === 0) return tester(deps.workspaces.dir);

    const tree: AttemptTree = await openAttemptTree(item, deps.workspaces, deps.environments, abort.signal);
    try {
      if (subtask.kind === 'editor' && program) {
        const apply = async (p: EditProgram) => {
          // A codemod command edits files in place: only in a private worktree, and only if the policy allows it.
          const verdict = await authorize({
            tool: 'Bash',
            command: p.recipe.kind === 'codemod' ? (p.recipe.command ?? '') : '',
          });
          if (!verdict.allowed) throw new Error(`the codemod command was denied: ${verdict.reason}`);
          await deps.recipes.run(tree.dir, p);
          return tree.diff();
        };
        return await runActor(recipeMachine, { program, apply, deadlineMs }, item, deps, abort.signal);
      }
      if (subtask.kind === 'editor') {
        const input = {
          subtask,
          tools: createToolset(),
          model: deps.model,
          limits: limits(item, deps),
          toolContext: {
            root: tree.dir,
            files: createFileTracker(),
            authorize,
            bashTimeoutMs: deps.commandTimeoutMs,
            ...(tree.launch ? { launch: tree.launch } : {}),
          },
          diff: () => tree.diff(),
        };
        return await runActor(editorMachine, input, item, deps, abort.signal);
      }
      if (subtask.kind === 'tester') return await tester(tree.dir, tree.launch);
      const input = {
        commands,
        cwd: tree.dir,
        authorize: authorizeCommand,
        timeoutMs: deps.commandTimeoutMs,
        diff: () => tree.diff(),
        ...(tree.launch ? { launch: tree.launch } : {}),
      };
      const out = await runActor(shellMachine, input, item, deps, abort.signal);
      return { ...out, summary: `${out.commands.length} commands` };
    } finally {
      cleanup = tree
        .remove()
        .catch((err: unknown) => log.warn({ err, dir: tree.dir }, 'could not remove a scratch worktree'));
    }
  };

  const result = work().then(
    (outcome) => toResult(item, deps.workerId, startedAt, outcome),
    (err: unknown) => {
      log.error({ err }, 'work item failed');
      const stop = abort.signal.aborted ? 'cancelled' : 'error';
      return toResult(item, deps.workerId, startedAt, { ok: false, stop, error: toErrorData(err) });
    },
  );
  return {
    cancel: (reason) => abort.abort(new Error(reason)),
    result,
    get cleanup() {
      return result.then(() => cleanup);
    },
  };
}

/** A recipe program's edits computed from the base commit: a rename reads the commit's files straight from git, other programs a shared checkout. */
async function preview(item: WorkItem, deps: ItemDeps, p: EditProgram): Promise<{ diff: string; files: string[] }> {
  const { changed } =
    p.recipe.kind === 'rename'
      ? await deps.recipes.previewCommit(
          await deps.workspaces.repository(item.repo, item.baseCommit),
          item.baseCommit,
          p,
        )
      : await deps.workspaces.withCheckout(item.repo, item.baseCommit, (root) => deps.recipes.preview(root, p));
  return { diff: diffFromChanges(changed), files: changed.filter((c) => c.before !== c.after).map((c) => c.path) };
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
