import { access } from 'node:fs/promises';
import { customAlphabet } from 'nanoid';
import { loadEnvironmentSettings, loadSettings } from '@baton/policy';
import { emptyUsage, type EnvironmentConfig, type PolicyConfig, type Run, type RunSpec } from '@baton/protocol';
import { NotARepositoryError, RepositoryNotFoundError } from '../errors.js';
import { assertClean, resolveBase } from './git-repo.js';

const newRunId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

/** The integration branch of a run (a name under `baton/`, never the user's branch). */
function branchOf(runId: string): string {
  return `baton/${runId}`;
}

/**
 * Turns a submitted RunSpec into a queued Run: checks the repository (it exists and is a git repository; a clean
 * working tree unless allowed; valid settings files), pins the base ref to a commit, and merges the repository's
 * `.baton/settings.json` and the user's settings into the run's policy and environment. This is the one check of a submit, embedded
 * or on a cluster: RepositoryNotFoundError, NotARepositoryError, UnknownRefError, DirtyWorkingTreeError, SettingsError.
 */
export async function prepareRun(spec: RunSpec, options: { userSettingsPath?: string } = {}): Promise<Run> {
  const { root, commit: baseCommit } = await resolveBase(spec.repo.path, spec.baseRef).catch(async (err: unknown) => {
    // git cannot tell a folder that is missing from one that is not a repository.
    if (err instanceof NotARepositoryError && !(await exists(spec.repo.path)))
      throw new RepositoryNotFoundError(spec.repo.path, { cause: err });
    throw err;
  });
  const where = { repoPath: root, ...(options.userSettingsPath ? { userConfigPath: options.userSettingsPath } : {}) };
  // All run at once; a dirty tree is reported before bad settings whichever fails first.
  const [clean, loaded, loadedEnvironment] = await Promise.allSettled([
    spec.allowDirty ? undefined : assertClean(root),
    loadSettings(where),
    loadEnvironmentSettings(where),
  ]);
  if (clean.status === 'rejected') throw clean.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  if (loadedEnvironment.status === 'rejected') throw loadedEnvironment.reason;
  const settings = loaded.value;
  const environmentSettings = loadedEnvironment.value;
  const policy = mergePolicies(settings, spec.policy);
  const environment = mergeEnvironments(environmentSettings, spec.environment);
  const id = newRunId();
  const now = Date.now();
  return {
    v: 1,
    id,
    spec: { ...spec, repo: { path: root }, policy, ...(environment ? { environment } : {}) },
    status: 'queued',
    baseCommit,
    branch: branchOf(id),
    trustedCommands: [],
    subtasks: {},
    usage: emptyUsage(),
    createdAt: now,
    updatedAt: now,
  };
}

/** Settings files first, the RunSpec's own rules added; the RunSpec's mode wins when it sets one. */
function mergePolicies(settings: PolicyConfig, spec: PolicyConfig | undefined): PolicyConfig {
  if (!spec) return settings;
  return {
    mode: spec.mode,
    allow: [...settings.allow, ...spec.allow],
    ask: [...settings.ask, ...spec.ask],
    deny: [...settings.deny, ...spec.deny],
    askTimeoutMs: spec.askTimeoutMs,
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The settings files' environment, each key the RunSpec sets replacing theirs. */
function mergeEnvironments(
  settings: EnvironmentConfig | undefined,
  spec: EnvironmentConfig | undefined,
): EnvironmentConfig | undefined {
  if (!settings) return spec;
  return { ...settings, ...spec };
}
