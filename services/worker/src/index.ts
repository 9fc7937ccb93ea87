/** @baton/worker: hosts the editor, tester, shell and recipe agents (XState v5) on the work queues. */
export { startWorker, type Worker } from './worker.js';
export { type WorkerOptions } from './compile-worker-options.js';
export {
  editorMachine,
  DEFAULT_EDITOR_LIMITS,
  type EditorInput,
  type EditorOutput,
  type EditorLimits,
} from './agents/editor.machine.js';
export { testerMachine, type TesterInput, type TesterOutput } from './agents/tester.machine.js';
export { shellMachine, type ShellInput, type ShellOutput } from './agents/shell.machine.js';
export { parseTestOutput } from './agents/test-report-parsers.js';
export { agentEventInspector, type InspectionIds } from './agents/inspection.js';
export { runItem, type ItemDeps, type RunningItem } from './run-item.js';
export { Workspaces, type Worktree, type WorkspacesOptions } from './workspace/workspaces.js';
export { diffFromChanges, blobId } from './workspace/diff-from-changes.js';
export { SnapshotMissingError, WorkspaceError } from './errors.js';
export { WorktreeEnvironments, Isolation, type AttemptWorktree } from './environment/worktree-environments.js';
export { offloadLargeDiff, DIFF_INLINE_LIMIT } from './large-diff.js';
