import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateWorkspaceRepo, linkWorkspacePackages, type WorkspaceRepoOptions } from '@baton/sample-repo';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readCommitFiles } from './commit-files.js';
import { writeFileChanges } from './file-change.js';
import { renameInFiles } from './rename-in-files.js';
import { createRenameProject } from './rename-project.js';
import { pnpmPackages } from './workspace-packages.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
const generate = async (options: WorkspaceRepoOptions) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-rename-ws-'));
  dirs.push(dir);
  return generateWorkspaceRepo(dir, options);
};

describe('a rename across the packages of a workspace, without node_modules', () => {
  it.each([
    { manager: 'npm', entry: 'dist', from: 'a commit snapshot' },
    { manager: 'pnpm', entry: 'source', from: 'the checkout' },
  ] as const)(
    'finds every use ($manager workspaces, manifests naming $entry, read from $from); the repository typechecks after',
    async ({ manager, entry, from }) => {
      const repo = await generate({ manager, entry });
      const project =
        from === 'the checkout'
          ? createRenameProject(repo.dir)
          : createRenameProject({ kind: 'snapshot', commit: 'HEAD', files: await readCommitFiles(repo.dir, 'HEAD') });
      // One shard per package, each computed against the untouched base, as the planner shards a rename.
      const shards = ['core', 'util', 'app', 'cli'].map((p) =>
        repo.files.filter((f) => f.startsWith(`packages/${p}/`)),
      );
      const changed = shards.flatMap(
        (files) => renameInFiles({ project, files, from: repo.rename.from, to: repo.rename.to }).changed,
      );
      expect(changed.map((c) => c.path).sort()).toEqual(repo.rename.changes);
      const after = new Map(changed.map((c) => [c.path, c.after]));
      // Through the package name (named and namespace imports), a subpath export, directory imports, import().
      expect(after.get('packages/app/src/index.ts')).toContain(`import { joinWords, newName } from '@acme/core';`);
      expect(after.get('packages/app/src/index.ts')).toContain(`core.newName(['c'])`);
      expect(after.get('packages/core/src/feature.ts')).toContain(`import { newName } from '.';`);
      expect(after.get('packages/core/src/internal/dashed.ts')).toContain(`import { newName } from '..';`);
      expect(after.get('packages/app/src/dynamic.ts')).toContain(`return lazy.newName(['x']);`);
      // Through `export *` across packages (util re-exports core), and a re-export under another name keeps that name.
      expect(after.get('packages/cli/src/index.ts')).toContain(`import { newName } from '@acme/util';`);
      expect(after.get('packages/core/src/index.ts')).toContain(
        `export { newName as joinWords } from './text/old-name';`,
      );
      // Strings, comments, module specifiers and a parameter of the same name stay.
      expect(after.get('packages/app/src/index.ts')).toContain(
        `export const label = 'oldName';\nexport function echo(oldName: string): string {\n  return oldName;`,
      );
      expect(after.get(repo.rename.declaredIn)).toContain(`// oldName: the helper every package uses (see "oldName"`);

      await writeFileChanges(repo.dir, changed);
      await linkWorkspacePackages(repo.dir);
      await execa(repo.commands.typecheck, { shell: true, cwd: repo.dir });
    },
    60_000,
  );

  it('prefers the sources when the built dist/*.d.ts the manifests name exist in the checkout', async () => {
    const repo = await generate({ manager: 'npm', entry: 'dist' });
    await linkWorkspacePackages(repo.dir);
    await execa(repo.commands.typecheck, { shell: true, cwd: repo.dir });
    expect(await readFile(path.join(repo.dir, 'packages/core/dist/index.d.ts'), 'utf8')).toContain('export');
    const project = createRenameProject(repo.dir);
    const app = repo.files.filter((f) => f.startsWith('packages/app/') || f.startsWith('packages/cli/'));
    const { changed } = renameInFiles({ project, files: app, from: repo.rename.from, to: repo.rename.to });
    expect(changed.map((c) => c.path).sort()).toEqual(repo.rename.changes.filter((f) => app.includes(f)));
  }, 60_000);
});

describe('pnpmPackages', () => {
  it('reads block and flow lists, quoted or not, with comments', () => {
    expect(
      pnpmPackages(
        `# workspace\npackages:\n  - 'packages/*'\n  - "apps/**" # apps\n  - '!**/test/**'\ncatalog:\n  x: 1\n`,
      ),
    ).toEqual(['packages/*', 'apps/**', '!**/test/**']);
    expect(pnpmPackages(`packages: [packages/*, 'tools/*']\n`)).toEqual(['packages/*', 'tools/*']);
    expect(pnpmPackages(`catalog:\n  x: 1\n`)).toEqual([]);
  });
});
