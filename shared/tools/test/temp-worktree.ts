import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '@baton/git';
import { createFileTracker } from '../src/file-tracker.js';
import type { AuthorizeAction, ToolContext } from '../src/tool.js';

/** A temp directory holding a git worktree `wt`, a prefix sibling `wt-evil` and an `outside` dir. */
export type TempWorktree = {
  base: string;
  root: string;
  sibling: string;
  outside: string;
  asked: AuthorizeAction[];
  ctx: (overrides?: Partial<ToolContext>) => ToolContext;
  write: (relative: string, content: string) => Promise<string>;
  read: (relative: string) => Promise<string>;
  snapshot: () => Promise<Record<string, string>>;
  [Symbol.asyncDispose]: () => Promise<void>;
};

/** Creates a real git repository in a temp dir with a few files; dispose with `await using`. */
export async function createTempWorktree(files: Record<string, string> = {}): Promise<TempWorktree> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'baton-tools-')));
  const root = path.join(base, 'wt');
  const sibling = path.join(base, 'wt-evil');
  const outside = path.join(base, 'outside');
  for (const dir of [root, sibling, outside]) await mkdir(dir);
  await writeFile(path.join(sibling, 'secret.txt'), 'sibling secret\n');
  await writeFile(path.join(outside, 'target.txt'), 'outside target\n');
  await runGit(root, ['init', '-q', '-b', 'main']);
  const write = async (relative: string, content: string): Promise<string> => {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  };
  for (const [relative, content] of Object.entries(files)) await write(relative, content);
  const asked: AuthorizeAction[] = [];
  const files_ = createFileTracker();
  return {
    base,
    root,
    sibling,
    outside,
    asked,
    ctx: (overrides = {}) => ({
      root,
      files: files_,
      authorize: (action) => {
        asked.push(action);
        return Promise.resolve({ allowed: true, reason: 'test allows everything' });
      },
      ...overrides,
    }),
    write,
    read: (relative) => readFile(path.join(root, relative), 'utf8'),
    snapshot: () => snapshotTree(base),
    [Symbol.asyncDispose]: () => rm(base, { recursive: true, force: true }),
  };
}

/** Every entry under `dir` (symlinks not followed) with its type, mode, link count and content hash. */
async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of (await readdir(current)).sort()) {
      const file = path.join(current, entry);
      const info = await lstat(file);
      const key = path.relative(dir, file);
      if (info.isSymbolicLink()) out[key] = `link -> ${await readlink(file)}`;
      else if (info.isDirectory()) {
        out[key] = `dir ${info.mode}`;
        await walk(file);
      } else {
        const hash = createHash('sha256')
          .update(await readFile(file))
          .digest('hex');
        out[key] = `file ${info.mode} ${info.nlink} ${info.mtimeMs} ${hash}`;
      }
    }
  };
  await walk(dir);
  return out;
}
