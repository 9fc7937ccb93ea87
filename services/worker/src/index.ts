/** @baton/worker: hosts the editor, tester, shell and recipe agents (XState v5) on the work queues. */
export { startWorker, type Worker } from './worker.js';
export { WorktreeEnvironments, Isolation, type AttemptWorktree } from './environment/worktree-environments.js';
export { DIFF_INLINE_LIMIT } from './large-diff.js';
