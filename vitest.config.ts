import { defineConfig } from 'vitest/config';

// One run over every package: each package's own vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: [
      'shared/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'test/vitest.config.ts',
      'test/security/vitest.config.ts',
    ],
  },
});
