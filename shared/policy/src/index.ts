/** @baton/policy: Permission rules (allow/ask/deny, Claude Code syntax), modes, shell command decomposition. */
export const packageName = '@baton/policy' as const;
