/**
 * Where a node is:
 * - waiting: some dependency is not done yet
 * - ready: every dependency is done; may be dispatched
 * - running: dispatched, not yet done or failed
 * - done: finished (merged)
 * - failed: gave up on it
 * - blocked: a dependency (transitively) failed, so it will never run
 */
export const NodeStatus = {
  waiting: 'waiting',
  ready: 'ready',
  running: 'running',
  done: 'done',
  failed: 'failed',
  blocked: 'blocked',
} as const;
/** Where a node is. */
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];
