import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// The security figures (`npm run test:security`): hostile corpus against the policy, and the editor's confinement under a race.
export default mergeConfig(
  sharedConfig,
  defineProject({ test: { name: 'security', include: ['**/*.test.ts'], testTimeout: 600_000 } }),
);
