import { constants, existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PathRefusedError } from './errors.js';
import { PathRefusal } from './resolve-path.js';

/** How {@link openInWorktree} opens the last component. */
export type OpenIntent =
  /** Read an existing file. */
  | 'read'
  /** Read and rewrite an existing file in place (no truncation until the caller decides). */
  | 'rewrite'
  /** Create a new file (fails if anything exists there); missing parent folders are created. */
  | 'create';

/**
 * Linux's `/proc/self/fd/N` names the open directory N itself, not the path it was opened by: a lookup below it
 * starts from that directory even if it was renamed or its path now leads through a symlink. This is `openat(2)`
 * for Node, which has none.
 */
const PROC_FD = existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * Opens `relative` (a symlink-free path below `root`, as `resolveWorktreePath` returns it) without trusting any
 * path twice: every folder is opened from the handle of its parent with `O_NOFOLLOW | O_DIRECTORY`, and the file
 * from the handle of its folder with `O_NOFOLLOW`. A folder swapped for a symlink while this runs makes the open
 * fail (ELOOP/ENOTDIR) instead of following it, so no rename or symlink race can land a read or write outside.
 * Writes also refuse anything but a regular file with one link; reads leave the type check to the caller. On systems without `/proc/self/fd` the same walk runs on
 * paths, which narrows the race to one component but cannot close it.
 * @example const handle = await openInWorktree('/tmp/wt', 'src/a.ts', 'rewrite');
 */
export async function openInWorktree(root: string, relative: string, intent: OpenIntent): Promise<FileHandle> {
  const segments = relative.split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.pop();
  if (name === undefined || segments.includes('..') || name === '..')
    throw new PathRefusedError(relative, PathRefusal.Invalid, 'not a file path below the worktree');
  let dir = await open(root, DIR_FLAGS);
  let dirPath = root;
  try {
    for (const segment of segments) {
      const next = await openChild(dir, dirPath, segment, DIR_FLAGS, relative, intent === 'create');
      await dir.close();
      dir = next;
      dirPath = path.join(dirPath, segment);
    }
    // O_NONBLOCK: opening a FIFO must not hang the tool; it changes nothing for regular files.
    const flags =
      constants.O_NOFOLLOW |
      constants.O_NONBLOCK |
      (intent === 'read'
        ? constants.O_RDONLY
        : intent === 'rewrite'
          ? constants.O_RDWR
          : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    const file = await openChild(dir, dirPath, name, flags, relative, false);
    if (intent === 'read') return file;
    try {
      const info = await file.stat();
      if (!info.isFile()) throw new PathRefusedError(relative, PathRefusal.Invalid, 'it is not a regular file');
      if (info.nlink > 1) {
        throw new PathRefusedError(
          relative,
          PathRefusal.HardLink,
          `it is a hard link (${info.nlink} names share this file), so editing it would also change a file that may live outside the worktree`,
        );
      }
      return file;
    } catch (error) {
      await file.close();
      throw error;
    }
  } finally {
    await dir.close();
  }
}

/** Opens `name` inside the open folder `dir` (creating it as a folder first when asked and missing). */
async function openChild(
  dir: FileHandle,
  dirPath: string,
  name: string,
  flags: number,
  relative: string,
  createFolder: boolean,
): Promise<FileHandle> {
  const child = PROC_FD === undefined ? path.join(dirPath, name) : `${PROC_FD}/${dir.fd}/${name}`;
  try {
    return await open(child, flags, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && createFolder) {
      // mkdir never follows a symlink in its last component: an existing link makes it fail with EEXIST.
      await mkdir(child, { mode: 0o755 }).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      });
      return openChild(dir, dirPath, name, flags, relative, false);
    }
    if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK') {
      throw new PathRefusedError(
        relative,
        PathRefusal.SymlinkOutside,
        `"${name}" is a symbolic link or stopped being a folder while it was opened (it may have been swapped)`,
        { cause: error },
      );
    }
    // Name the path as the caller knows it, not the /proc/self/fd alias it was opened by.
    if (typeof (error as NodeJS.ErrnoException).path === 'string')
      Object.assign(error as object, { path: path.join(dirPath, name) });
    throw error;
  }
}
