/** @baton/dashboard: Dashboard: HTTP API and live web UI of runs, graphs and agent state machines. */
export const packageName = '@baton/dashboard' as const;
