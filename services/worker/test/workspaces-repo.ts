import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit } from '@baton/git';
import { runProgram } from '../src/environment/run-program.js';
import { makeTempRepo, type TempRepo } from './temp-repo.js';

/**
 * A generated npm-workspaces repository: `@acme/core` (exports `value`) used by `@acme/app` by package name, and a
 * local `file:` dependency `dep`, so `npm install` needs no registry. `node_modules` is ignored; with `installed`, the
 * checkout has it installed (as a user's would), and the lockfile is committed either way. `installCount` names a file
 * every real install appends a line to (a `preinstall` script), so tests count installs.
 */
export async function makeWorkspacesRepo(options: { installed: boolean; installCount: string }): Promise<TempRepo> {
  const files: Record<string, string> = {
    '.gitignore': 'node_modules\n',
    'package.json': JSON.stringify({
      name: 'acme',
      private: true,
      workspaces: ['packages/*'],
      scripts: { preinstall: `node -e "require('fs').appendFileSync(process.env.INSTALL_COUNT, 'install\\n')"` },
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
  };
  const repo = await makeTempRepo(files);
  // A tarball dependency is extracted into node_modules as real files (a `file:` folder would be a symlink).
  await runProgram('npm', ['pack', '--pack-destination', '..'], { cwd: join(repo.dir, 'vendor', 'dep') });
  process.env.INSTALL_COUNT = options.installCount;
  await runProgram('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: repo.dir });
  await writeFile(options.installCount, '');
  const git = (...args: string[]) =>
    runGit(repo.dir, args, {
      env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  await git('add', 'package-lock.json', 'vendor');
  await git('commit', '-qm', 'lockfile');
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  if (!options.installed)
    await runProgram('rm', ['-rf', 'node_modules', ...['core', 'app'].map((p) => `packages/${p}/node_modules`)], {
      cwd: repo.dir,
    });
  return { ...repo, commit };
}

/** Writes `text` to `path` under `root` (folders made). */
export async function writeIn(root: string, path: string, text: string, append = false): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await (append ? appendFile : writeFile)(join(root, path), text);
}
