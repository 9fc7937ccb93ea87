import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '@baton/git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@baton/log';
import { runCommand } from '@baton/tools';
import { makeWorkspacesRepo, writeIn } from '../../test/workspaces-repo.js';
import type { TempRepo } from '../../test/temp-repo.js';
import { EnvironmentSetupError } from './errors.js';
import { WorktreeEnvironments, type AttemptWorktree, type Isolation } from './worktree-environments.js';

let scratch: string;
let installed: TempRepo;
let bare: TempRepo;
const count = () => join(scratch, 'installs.log');
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'baton-env-test-'));
  installed = await makeWorkspacesRepo({ installed: true, installCount: count() });
  bare = await makeWorkspacesRepo({ installed: false, installCount: count() });
  process.env.INSTALL_COUNT = count();
});
afterAll(async () => {
  await Promise.all([installed.remove(), bare.remove(), rm(scratch, { recursive: true, force: true })]);
});

const run = (tree: AttemptWorktree, command: string, cwd = tree.dir) =>
  runCommand(command, { cwd, timeoutMs: 60_000, ...(tree.launch ? { launch: tree.launch } : {}) });

async function open(isolation: Isolation): Promise<WorktreeEnvironments> {
  return new WorktreeEnvironments({ dir: await mkdtemp(join(scratch, 'w-')), log: silentLogger(), isolation });
}

describe.each(['overlay', 'hard-link'] as const)('worktree environments (%s)', (isolation) => {
  it('gives a worktree the user’s node_modules: a dependency loads, a workspace package is the worktree’s own edit', async () => {
    const envs = await open(isolation);
    const req = {
      repo: installed.dir,
      checkout: installed.dir,
      commit: installed.commit,
      config: {},
      installOnManifestChange: true,
    };
    const tree = await envs.acquire(req);
    await writeIn(tree.dir, 'packages/core/index.js', 'exports.value = "core-edited";\n');
    const r = await run(tree, `node -e 'console.log(require("./index.js").show())'`, join(tree.dir, 'packages/app'));
    expect(r.stdout.trim()).toBe('dep-x core-edited');
    expect(envs.installs).toBe(0);
    expect((await tree.diff()).files).toEqual(['packages/core/index.js']);
    await tree.release();
  });

  it('keeps nothing a command wrote from the next attempt, the prepared environment and the user’s checkout', async () => {
    const envs = await open(isolation);
    const req = {
      repo: installed.dir,
      checkout: installed.dir,
      commit: installed.commit,
      config: {},
      installOnManifestChange: true,
    };
    const first = await envs.acquire(req);
    const wrote = await run(
      first,
      [
        'echo junk > untracked.txt',
        'echo "exports.x = \\"tampered\\";" > node_modules/dep/index.js',
        'mkdir -p node_modules/.vite && echo cache > node_modules/.vite/c',
        'mkdir -p .git/hooks && printf "#!/bin/sh\\nexit 1\\n" > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit',
        'git config core.fsmonitor "touch /tmp/never"',
      ].join(' && '),
    );
    expect(wrote.exitCode).toBe(0);
    await first.release();

    const second = await envs.acquire(req);
    expect(second.warm).toBe(true);
    expect(second.dir).toBe(first.dir);
    expect(existsSync(join(second.dir, 'untracked.txt'))).toBe(false);
    expect(existsSync(join(second.dir, '.git/hooks/pre-commit'))).toBe(false);
    expect(await readFile(join(second.dir, '.git/config'), 'utf8')).not.toContain('fsmonitor');
    const seen = await run(second, `node -e 'console.log(require("dep").x)'; ls node_modules/.vite 2>&1 || true`);
    expect(seen.stdout).toContain('dep-x');
    expect(seen.stdout).not.toContain('cache');
    expect(await readFile(join(installed.dir, 'node_modules/dep/index.js'), 'utf8')).toContain('dep-x');
    expect(existsSync(join(installed.dir, 'node_modules/.vite'))).toBe(false);
    await second.release();
  });
});

describe('worktree environments without an installed checkout', () => {
  it('installs once per worker and key, not once per attempt', async () => {
    await rm(count(), { force: true });
    const envs = await open('overlay');
    const req = { repo: bare.dir, commit: bare.commit, config: {}, installOnManifestChange: true };
    const trees = await Promise.all([envs.acquire(req), envs.acquire(req), envs.acquire(req)]);
    for (const tree of trees) {
      const r = await run(tree, `node -e 'console.log(require("./index.js").show())'`, join(tree.dir, 'packages/app'));
      expect(r.stdout.trim()).toBe('dep-x core-base');
    }
    await Promise.all(trees.map((t) => t.release()));
    expect(envs.installs).toBe(1);
    expect((await readFile(count(), 'utf8')).trim().split('\n')).toEqual(['install']);
  });

  it('installs in the worktree of a tester whose commit changed a manifest, not in an editor’s', async () => {
    const envs = await open('overlay');
    const base = { repo: bare.dir, config: {} };
    const first = await envs.acquire({ ...base, commit: bare.commit, installOnManifestChange: true });
    await first.release();
    expect(envs.installs).toBe(1);
    const git = (...args: string[]) =>
      runGit(bare.dir, args, {
        env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    await writeIn(
      bare.dir,
      'packages/app/package.json',
      JSON.stringify({ name: '@acme/app', version: '1.1.0', dependencies: { '@acme/core': '1.0.0' } }),
    );
    await git('commit', '-qam', 'app 1.1.0');
    const changed = (await git('rev-parse', 'HEAD')).stdout.trim();
    const editor = await envs.acquire({ ...base, commit: changed, installOnManifestChange: false });
    await editor.release();
    expect(envs.installs).toBe(1);
    const tester = await envs.acquire({ ...base, commit: changed, installOnManifestChange: true });
    expect(envs.installs).toBe(2);
    const r = await run(
      tester,
      `node -e 'console.log(require("./index.js").show())'`,
      join(tester.dir, 'packages/app'),
    );
    expect(r.stdout.trim()).toBe('dep-x core-base');
    await tester.release();
  });

  it('stops with the named failure when a setup command fails', async () => {
    const envs = await open('overlay');
    const err = await envs
      .acquire({
        repo: bare.dir,
        commit: bare.commit,
        config: { setup: ['echo "no lockfile here" >&2; exit 3'] },
        installOnManifestChange: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentSetupError);
    expect((err as Error).message).toMatch(
      /^environment setup failed: echo "no lockfile here" >&2; exit 3 exited 3\nno lockfile here/,
    );
  });
});
