/** @baton/coordinator: Coordinator: runs, scheduling, permissions, approvals, exactly-once merging, durable runs. */
export const packageName = '@baton/coordinator' as const;
