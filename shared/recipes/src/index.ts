/** @baton/recipes: Deterministic edit programs (semantic rename via ts-morph, codemods) and the worker-thread pool that runs them. */
export const packageName = '@baton/recipes' as const;
