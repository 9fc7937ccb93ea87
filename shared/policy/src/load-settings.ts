import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentConfig, PermissionModeSchema, PermissionRule, PolicyConfig } from '@baton/protocol';
import { z } from 'zod';
import { SettingsError } from './errors.js';

/** Schema of a `settings.json` (repository `.baton/settings.json` or the user's), Claude Code's names. */
export const SettingsFile = z.strictObject({
  permissions: z
    .strictObject({
      allow: z.array(PermissionRule).optional(),
      ask: z.array(PermissionRule).optional(),
      deny: z.array(PermissionRule).optional(),
      defaultMode: PermissionModeSchema.optional(),
    })
    .optional(),
  askTimeoutMs: z.number().int().positive().optional(),
  /** How each worktree gets its environment (`include`, `setup`, `key`). */
  environment: EnvironmentConfig.optional(),
});
/** A parsed settings file. */
export type SettingsFile = z.infer<typeof SettingsFile>;

/** Where `loadSettings` looks. */
export interface LoadSettingsOptions {
  repoPath: string;
  /** The user's settings file; default `$XDG_CONFIG_HOME/baton/settings.json` or `~/.config/baton/settings.json`. */
  userConfigPath?: string;
}

/**
 * Reads the user's and the repository's settings (each optional) and merges them into a PolicyConfig: rule lists
 * are concatenated (user first), the repository's mode and timeout win. Throws `SettingsError` naming file and key.
 */
export async function loadSettings(options: LoadSettingsOptions): Promise<PolicyConfig> {
  const userPath = options.userConfigPath ?? defaultUserConfigPath();
  const repoFile = path.join(options.repoPath, '.baton', 'settings.json');
  const user = await readSettings(userPath, userPath);
  const repo = await readSettings(repoFile, path.join('.baton', 'settings.json'));
  const files = [user, repo].filter((s): s is SettingsFile => s !== undefined);
  const pick = <K extends keyof NonNullable<SettingsFile['permissions']>>(k: K) => files.map((f) => f.permissions?.[k]);
  const list = (k: 'allow' | 'ask' | 'deny'): string[] => pick(k).flatMap((l) => l ?? []);
  const mode = pick('defaultMode').reduce((acc, m) => m ?? acc, undefined);
  const askTimeoutMs = files.map((f) => f.askTimeoutMs).reduce((acc, t) => t ?? acc, undefined);
  return PolicyConfig.parse({
    allow: list('allow'),
    ask: list('ask'),
    deny: list('deny'),
    ...(mode === undefined ? {} : { mode }),
    ...(askTimeoutMs === undefined ? {} : { askTimeoutMs }),
  });
}

/**
 * Reads the `environment` of the user's and the repository's settings: each of `include`, `setup` and `key` from the
 * repository's file when it sets it, else the user's; undefined when neither sets any. Throws like `loadSettings`.
 */
export async function loadEnvironmentSettings(options: LoadSettingsOptions): Promise<EnvironmentConfig | undefined> {
  const userPath = options.userConfigPath ?? defaultUserConfigPath();
  const user = await readSettings(userPath, userPath);
  const repo = await readSettings(
    path.join(options.repoPath, '.baton', 'settings.json'),
    path.join('.baton', 'settings.json'),
  );
  if (user?.environment === undefined && repo?.environment === undefined) return undefined;
  return { ...user?.environment, ...repo?.environment };
}

/** The default location of the user's settings file. */
export function defaultUserConfigPath(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.config');
  return path.join(base, 'baton', 'settings.json');
}

async function readSettings(file: string, label: string): Promise<SettingsFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new SettingsError(label, '', 'cannot be read', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(label, '', `invalid JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const parsed = SettingsFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keyPath = issue === undefined ? '' : formatPath(issue.path);
  const problem =
    issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
  throw new SettingsError(label, keyPath, problem, { cause: parsed.error });
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}
