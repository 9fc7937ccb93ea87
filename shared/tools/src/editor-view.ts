import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailure } from './errors.js';
import { readTextFile } from './editable-file.js';
import type { ResolvedPath } from './resolve-path.js';
import { numberLines, splitLines } from './text-lines.js';
import { DEFAULT_OUTPUT_LIMIT } from './tool.js';
import type { ToolContext, ToolOutcome } from './tool.js';
import { truncateOutput } from './truncate-output.js';

const skippedDirectories = new Set(['.git', 'node_modules']);

/** The editor's `view`: a file with `cat -n` numbering (optionally a line range) or a two-level directory listing. */
export async function viewPath(
  ctx: ToolContext,
  resolved: ResolvedPath,
  shown: string,
  viewRange: readonly number[] | undefined,
): Promise<ToolOutcome> {
  if (!resolved.exists) throw new ToolFailure(`The path ${shown} does not exist.`);
  const limit = ctx.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  if ((await stat(resolved.absolute)).isDirectory()) {
    if (viewRange !== undefined)
      throw new ToolFailure('The `view_range` parameter is not allowed when `path` points to a directory.');
    return { ok: true, content: await listDirectory(resolved, shown, limit) };
  }

  const file = await readTextFile(resolved, shown);
  // Any view, even of a range, counts as having seen the file: the stamp covers the whole file.
  ctx.files.record(resolved.relative, file.stamp);
  const { lines } = splitLines(file.text);
  if (lines.length === 0) return { ok: true, content: `The file ${shown} is empty.` };

  const [first, last] = checkRange(viewRange, lines.length);
  const header = `Here's the result of running \`cat -n\` on ${shown}:\n`;
  return {
    ok: true,
    content: header + numberWithinBudget(lines.slice(first - 1, last), first, limit - header.length) + '\n',
  };
}

function checkRange(viewRange: readonly number[] | undefined, count: number): [number, number] {
  if (viewRange === undefined) return [1, count];
  const [first = 1, last = -1] = viewRange;
  if (first < 1 || first > count) {
    throw new ToolFailure(
      `Invalid \`view_range\`: its first element \`${first}\` should be within the range of lines of the file: [1, ${count}].`,
    );
  }
  if (last === -1) return [first, count];
  if (last > count) {
    throw new ToolFailure(
      `Invalid \`view_range\`: its second element \`${last}\` should be at most the number of lines in the file: \`${count}\` (or -1 for the end).`,
    );
  }
  if (last < first) {
    throw new ToolFailure(
      `Invalid \`view_range\`: its second element \`${last}\` should be larger than or equal to its first \`${first}\`.`,
    );
  }
  return [first, last];
}

/** Numbers whole lines until the budget is spent, then says which lines were left out. */
function numberWithinBudget(lines: readonly string[], first: number, budget: number): string {
  const out: string[] = [];
  // Room for the closing marker, so the whole result stays within the budget.
  const room = budget - 160;
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const numbered = numberLines([line], first + index);
    if (used + numbered.length + 1 > room) {
      if (out.length === 0) out.push(truncateOutput(numbered, Math.max(room, 200)));
      const from = first + Math.max(out.length, 1);
      const to = first + lines.length - 1;
      if (from <= to)
        out.push(
          `[… lines ${from}–${to} not shown: output limit reached; view them with view_range: [${from}, ${to}] …]`,
        );
      break;
    }
    out.push(numbered);
    used += numbered.length + 1;
  }
  return out.join('\n');
}

async function listDirectory(resolved: ResolvedPath, shown: string, limit: number): Promise<string> {
  const entries: string[] = [];
  const walk = async (absolute: string, relative: string, depth: number): Promise<void> => {
    const children: Dirent[] = await readdir(absolute, { withFileTypes: true });
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      // Symlinked directories are listed but never entered: they may lead out of the worktree.
      const isDirectory = child.isDirectory();
      const childRelative = relative === '' ? child.name : `${relative}/${child.name}`;
      if (isDirectory && skippedDirectories.has(child.name)) continue;
      entries.push(isDirectory ? `${childRelative}/` : childRelative);
      if (isDirectory && depth < 2) await walk(path.join(absolute, child.name), childRelative, depth + 1);
    }
  };
  await walk(resolved.absolute, '', 1);
  const header = `Here are the files and directories up to 2 levels deep in ${shown} (excluding .git and node_modules), relative to it:\n`;
  const listing = entries.length === 0 ? '(empty directory)' : entries.join('\n');
  return header + truncateOutput(listing, limit - header.length);
}
