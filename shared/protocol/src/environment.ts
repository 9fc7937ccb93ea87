import { WireErrorName } from './wire-error-name.js';
import { z } from 'zod';

/**
 * How every worktree gets a working environment (`.baton/settings.json` `environment`, the RunSpec's `environment`):
 * untracked or ignored paths brought from the source checkout, commands that prepare it, and the files whose content
 * keys the prepared copy. Each field left out takes its default (see the worker's README).
 * @example { "include": ["node_modules", ".env.test"], "setup": ["pnpm install --frozen-lockfile"], "key": ["pnpm-lock.yaml"] }
 */
export const EnvironmentConfig = z.strictObject({
  /**
   * Untracked or ignored paths (relative to the repository's root) brought from the source checkout into each worktree,
   * as the `.worktreeinclude` convention does. Default: every `node_modules` of the checkout, when it matches the keys.
   */
  include: z.array(z.string().min(1).max(1000)).max(1000).optional(),
  /** Commands that prepare an environment, run once per worker and key. Default: the detected package manager's install. */
  setup: z.array(z.string().min(1).max(10_000)).max(100).optional(),
  /** Files whose content keys the prepared environment. Default: the lockfiles at the repository's root. */
  key: z.array(z.string().min(1).max(1000)).max(1000).optional(),
});
/** How every worktree gets a working environment. */
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;

/**
 * The name of the error a worker reports when preparing an environment failed: the run stops at once with it (no
 * retry, no repair, no model call), since every later attempt would run the same command on the same files.
 */
export const ENVIRONMENT_SETUP_FAILED = WireErrorName.environmentSetupFailed;
