/** @baton/cli: The baton command: run (embedded), submit/status/watch/cancel/approve/deny/logs, demo, worker. */
export const packageName = '@baton/cli' as const;
