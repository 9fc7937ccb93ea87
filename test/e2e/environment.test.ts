import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSpec } from '@baton/protocol';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { createGitRepo, git, showFile } from './git-repo-fixture.js';
import { within } from './within.js';

const WAIT_MS = 120_000;

/**
 * An npm-workspaces repository whose `@acme/app` uses `@acme/core` by package name and a tarball dependency `dep`
 * (installed without a registry); `node_modules` installed in the checkout and ignored, as a user's would be.
 */
async function workspacesRepo(dir: string): Promise<string> {
  await createGitRepo(dir, {
    '.gitignore': 'node_modules\n',
    'package.json': JSON.stringify({
      name: 'acme',
      private: true,
      workspaces: ['packages/*'],
      dependencies: { dep: 'file:vendor/dep-1.0.0.tgz' },
    }),
    'vendor/dep/package.json': JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }),
    'vendor/dep/index.js': 'exports.x = "dep-x";\n',
    'packages/core/package.json': JSON.stringify({ name: '@acme/core', version: '1.0.0', main: 'index.js' }),
    'packages/core/index.js': 'exports.value = "core-base";\n',
    'packages/app/package.json': JSON.stringify({
      name: '@acme/app',
      version: '1.0.0',
      dependencies: { '@acme/core': '1.0.0' },
    }),
    'packages/app/index.js': 'exports.show = () => require("dep").x + " " + require("@acme/core").value;\n',
  });
  await execa('npm', ['pack', '--pack-destination', '..'], { cwd: join(dir, 'vendor', 'dep') });
  await execa('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir });
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'lockfile');
  return git(dir, 'rev-parse', 'HEAD');
}

/** Everything of the user's checkout a run must leave alone: HEAD, branch, index, working tree and node_modules. */
async function userState(dir: string): Promise<string> {
  const listing = await execa('sh', ['-c', 'find . -path ./.git -prune -o -printf "%y %m %s %T@ %p\\n" | sort'], {
    cwd: dir,
  });
  const parts = [
    await git(dir, 'rev-parse', 'HEAD'),
    await git(dir, 'symbolic-ref', 'HEAD'),
    await git(dir, 'status', '--porcelain', '--ignored'),
    await git(dir, 'ls-files', '-s'),
    listing.stdout,
  ];
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

// The command recipe edits @acme/core (in its own package); the tester, on the merged branch, loads @acme/app, which
// resolves `dep` from node_modules and @acme/core by package name: it must see the merged edit.
const editCore = `node -e "if (require('./package.json').name === '@acme/core') require('fs').writeFileSync('index.js', 'exports.value = \\"core-edited\\";\\n')"`;
const checkApp = `node -e "const s = require('./packages/app/index.js').show(); console.log(s); process.exit(s === 'dep-x core-edited' ? 0 : 1)"`;

describe('every worktree gets an environment', () => {
  let dir: string;
  let repo: string;
  let stack: EmbeddedStack;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-env-'));
    repo = join(dir, 'repo');
    await workspacesRepo(repo);
    stack = await startEmbeddedStack({ dir, slots: 2, script: () => undefined });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a tester on the merged branch loads node_modules and resolves a workspace package to the merged edit; the user’s checkout is untouched', async () => {
    const before = await userState(repo);
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command: editCore, packages: 'packages/*' },
      testCommands: [checkApp],
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
    expect(run.status, run.detail).toBe('succeeded');
    expect(await showFile(repo, branch, 'packages/core/index.js')).toContain('core-edited');
    const testers = Object.entries(run.subtasks).filter(
      ([id]) => run.plan?.subtasks.find((s) => s.id === id)?.kind === 'tester',
    );
    expect(testers.length).toBeGreaterThan(0);
    expect(await userState(repo)).toBe(before);
    expect(stack.api!.requests).toHaveLength(0);
  }, 180_000);

  it('a failing setup stops the run at once with the named failure, no model call and no repair', async () => {
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command: editCore, packages: 'packages/*' },
      testCommands: [checkApp],
      environment: { setup: ['echo "cannot install" >&2; exit 3'] },
    });
    const { runId } = await stack.coordinator.submit(spec);
    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
    expect(run).toMatchObject({ status: 'failed', stopReason: 'environment_setup_failed' });
    expect(run.detail).toMatch(/^environment setup failed: echo "cannot install" >&2; exit 3 exited 3\ncannot install/);
    expect(Object.values(run.subtasks).every((s) => s.attempt <= 1)).toBe(true);
    expect(stack.api!.requests).toHaveLength(0);
  }, 180_000);
});
