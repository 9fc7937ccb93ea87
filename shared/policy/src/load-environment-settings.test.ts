import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsError, loadEnvironmentSettings, loadSettings } from './index.js';

describe('loadEnvironmentSettings', () => {
  let dir: string;
  let repo: string;
  let userFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'baton-policy-env-'));
    repo = path.join(dir, 'repo');
    userFile = path.join(dir, 'user', 'settings.json');
    await mkdir(path.join(repo, '.baton'), { recursive: true });
    await mkdir(path.dirname(userFile), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is undefined when no file sets an environment', async () => {
    expect(await loadEnvironmentSettings({ repoPath: repo, userConfigPath: userFile })).toBeUndefined();
  });

  it('takes each key from the repository over the user, and loadSettings accepts the key', async () => {
    await writeFile(userFile, JSON.stringify({ environment: { setup: ['npm ci'], key: ['package-lock.json'] } }));
    await writeFile(
      path.join(repo, '.baton', 'settings.json'),
      JSON.stringify({
        environment: { include: ['node_modules', '.env.test'], setup: ['pnpm install --frozen-lockfile'] },
      }),
    );
    expect(await loadEnvironmentSettings({ repoPath: repo, userConfigPath: userFile })).toEqual({
      include: ['node_modules', '.env.test'],
      setup: ['pnpm install --frozen-lockfile'],
      key: ['package-lock.json'],
    });
    await expect(loadSettings({ repoPath: repo, userConfigPath: userFile })).resolves.toMatchObject({
      mode: 'default',
    });
  });

  it('names the key of a bad environment setting', async () => {
    await writeFile(path.join(repo, '.baton', 'settings.json'), JSON.stringify({ environment: { setup: 'npm ci' } }));
    const err = await loadEnvironmentSettings({ repoPath: repo, userConfigPath: userFile }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as Error).message).toContain('environment.setup');
  });
});
