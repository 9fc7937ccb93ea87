/** @baton/sample-repo: Generator of sample TypeScript repositories for the demo, tests and benchmarks. */
export const packageName = '@baton/sample-repo' as const;
