/** @baton/tools: Agent tools: str_replace editor family, glob, grep, bash; path confinement and read-before-edit. */
export const packageName = '@baton/tools' as const;
