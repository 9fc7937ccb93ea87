/** @baton/planner: Planner: task -> Plan (DAG); model planner, recipe planners, plan validation, re-planning. */
export const packageName = '@baton/planner' as const;
