import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsError, loadSettings } from './index.js';

describe('loadSettings', () => {
  let dir: string;
  let repo: string;
  let userFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'baton-policy-'));
    repo = path.join(dir, 'repo');
    userFile = path.join(dir, 'user', 'settings.json');
    await mkdir(path.join(repo, '.baton'), { recursive: true });
    await mkdir(path.dirname(userFile), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const writeRepo = (v: unknown): Promise<void> =>
    writeFile(path.join(repo, '.baton', 'settings.json'), typeof v === 'string' ? v : JSON.stringify(v));

  it('returns the defaults when neither file exists', async () => {
    const cfg = await loadSettings({ repoPath: repo, userConfigPath: userFile });
    expect(cfg).toEqual({ mode: 'default', allow: [], ask: [], deny: [], askTimeoutMs: 15 * 60_000 });
  });

  it('concatenates lists and lets the repository mode win', async () => {
    await writeFile(
      userFile,
      JSON.stringify({ permissions: { allow: ['Bash(ls:*)'], defaultMode: 'plan' }, askTimeoutMs: 1000 }),
    );
    await writeRepo({
      permissions: { allow: ['Bash(npm test:*)'], deny: ['Edit(secrets/**)'], defaultMode: 'acceptEdits' },
    });
    const cfg = await loadSettings({ repoPath: repo, userConfigPath: userFile });
    expect(cfg).toEqual({
      mode: 'acceptEdits',
      allow: ['Bash(ls:*)', 'Bash(npm test:*)'],
      ask: [],
      deny: ['Edit(secrets/**)'],
      askTimeoutMs: 1000,
    });
  });

  it('names the file and the key of a bad rule', async () => {
    await writeRepo({ permissions: { allow: ['Bash(ls)', 'Read', 'bash(oops)'] } });
    const err = await loadSettings({ repoPath: repo, userConfigPath: userFile }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as SettingsError).message).toMatch(
      /^\.baton\/settings\.json: permissions\.allow\[2\]: must look like Tool or Tool\(specifier\)/,
    );
  });

  it('rejects unknown keys, bad modes and invalid JSON', async () => {
    await writeFile(userFile, JSON.stringify({ permissions: { defaultMode: 'yolo' } }));
    await expect(loadSettings({ repoPath: repo, userConfigPath: userFile })).rejects.toThrow(
      `${userFile}: permissions.defaultMode:`,
    );
    await writeFile(userFile, '{}');
    await writeRepo({ permisions: {} });
    await expect(loadSettings({ repoPath: repo, userConfigPath: userFile })).rejects.toThrow(
      '.baton/settings.json: unknown key(s) permisions',
    );
    await writeRepo('{ "permissions": ');
    await expect(loadSettings({ repoPath: repo, userConfigPath: userFile })).rejects.toThrow(
      /\.baton\/settings\.json: invalid JSON/,
    );
  });
});
