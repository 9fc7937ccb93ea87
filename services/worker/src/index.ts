/** @baton/worker: Worker: hosts editor/tester/shell agents (XState v5) on the work queues. */
export const packageName = '@baton/worker' as const;
