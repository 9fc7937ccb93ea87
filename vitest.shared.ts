import { defineConfig } from 'vitest/config';

/**
 * Settings every vitest project shares: workspace packages resolve to their TypeScript
 * source through the `@baton/source` export condition, so tests never run stale `dist/`.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['@baton/source'] },
  ssr: { resolve: { conditions: ['@baton/source'], externalConditions: ['@baton/source'] } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
  },
});
