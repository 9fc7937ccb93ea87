import { ToolFailure } from './errors.js';
import { Freshness, stampOf } from './file-tracker.js';
import type { FileStamp } from './file-tracker.js';
import { openInWorktree } from './open-in-worktree.js';
import { resolveWorktreePath } from './resolve-path.js';
import type { ResolvedPath } from './resolve-path.js';
import type { ToolContext } from './tool.js';

/** Largest file the editor reads or rewrites; bigger files are for grep and bash. */
const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;

/** A UTF-8 text file as read from disk, with the stamp of exactly those bytes. */
export type TextFile = { resolved: ResolvedPath; text: string; stamp: FileStamp };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The real worktree root a resolved path lies under (`absolute` is the root joined with `relative`). */
function rootOf(resolved: ResolvedPath): string {
  return resolved.relative === ''
    ? resolved.absolute
    : resolved.absolute.slice(0, resolved.absolute.length - resolved.relative.length - 1);
}

/**
 * Reads a regular UTF-8 text file, refusing binaries, oversized files and special files. The file is opened
 * component by component from the worktree's root (see `openInWorktree`), so a folder swapped for a symlink
 * after `resolved` was checked cannot make it read a file outside.
 */
export async function readTextFile(resolved: ResolvedPath, shown: string): Promise<TextFile> {
  if (!resolved.exists) throw new ToolFailure(`The path ${shown} does not exist.`);
  const handle = await openInWorktree(rootOf(resolved), resolved.relative, 'read');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ToolFailure(`The path ${shown} is not a regular file.`);
    if (info.size > MAX_TEXT_FILE_BYTES) {
      throw new ToolFailure(
        `The file ${shown} is ${info.size} bytes, over the editor's limit of ${MAX_TEXT_FILE_BYTES}; use grep, or bash with sed/head.`,
      );
    }
    const bytes = await handle.readFile();
    if (bytes.subarray(0, 8000).includes(0))
      throw new ToolFailure(`The file ${shown} is binary; the editor only handles text.`);
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch (error) {
      throw new ToolFailure(`The file ${shown} is not valid UTF-8; editing it as text would corrupt it.`, {
        cause: error,
      });
    }
    return { resolved, text, stamp: stampOf(bytes, info) };
  } finally {
    await handle.close();
  }
}

/** Refuses an edit unless the actor viewed the file and it has not changed on disk since. */
export function requireFresh(ctx: ToolContext, file: TextFile, shown: string): void {
  const freshness = ctx.files.check(file.resolved.relative, file.stamp);
  if (freshness === Freshness.Unseen) {
    throw new ToolFailure(
      `Refused: ${shown} has not been viewed yet. View it first (command "view"), then retry the edit. Nothing was changed.`,
    );
  }
  if (freshness === Freshness.Changed) {
    throw new ToolFailure(
      `Refused: ${shown} changed on disk since you last viewed it. View it again (command "view") and redo the edit against its current content. Nothing was changed.`,
    );
  }
}

/** What {@link writeChecked} writes: over a file read as `previous`, or a new file when `previous` is null. */
export type CheckedWrite = {
  kind: 'Edit' | 'Write';
  input: string;
  shown: string;
  content: string;
  previous: TextFile | null;
};

/**
 * Asks `ctx.authorize`, re-checks that nothing moved while permission was pending, writes
 * without following a final symlink, and records the new state in the tracker so the next
 * edit of the same file works. Returns the repository-relative path written.
 */
export async function writeChecked(ctx: ToolContext, write: CheckedWrite): Promise<string> {
  const resolved = await resolveWorktreePath(ctx.root, write.input, 'write');
  const verdict = await ctx.authorize({ tool: write.kind, path: resolved.relative });
  if (!verdict.allowed) {
    throw new ToolFailure(
      `Permission denied for ${write.kind} on ${write.shown}: ${verdict.reason}. Nothing was changed.`,
    );
  }
  if (ctx.signal?.aborted) throw new ToolFailure('The edit was cancelled before writing. Nothing was changed.');

  // Permission may have taken a human minutes; the file or a symlink may have moved meanwhile.
  const again = await resolveWorktreePath(ctx.root, write.input, 'write');
  if (again.absolute !== resolved.absolute)
    throw new ToolFailure(`Refused: ${write.shown} now resolves elsewhere. Nothing was changed.`);

  // From here on the file is reached only through handles (see openInWorktree): the check above and the write
  // below cannot be split by a rename or a symlink swap of any folder on the way.
  const bytes = Buffer.from(write.content, 'utf8');
  const handle = await openInWorktree(rootOf(again), again.relative, write.previous === null ? 'create' : 'rewrite');
  try {
    if (write.previous !== null) {
      const current = stampOf(await handle.readFile(), await handle.stat());
      if (current.hash !== write.previous.stamp.hash || current.mtimeMs !== write.previous.stamp.mtimeMs) {
        throw new ToolFailure(
          `Refused: ${write.shown} changed on disk while the edit waited for permission. View it again. Nothing was changed.`,
        );
      }
      await handle.truncate(0);
    }
    for (let offset = 0; offset < bytes.length;) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
      offset += bytesWritten;
    }
    ctx.files.record(again.relative, stampOf(bytes, await handle.stat()));
  } finally {
    await handle.close();
  }
  return again.relative;
}
