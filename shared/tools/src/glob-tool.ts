import { access } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { ToolFailure } from './errors.js';
import { listWorktreeFiles } from './git-files.js';
import { resolveWorktreePath } from './resolve-path.js';
import type { Tool } from './tool.js';
import { DEFAULT_OUTPUT_LIMIT } from './tool.js';
import { failuresAsOutcome } from './tool-failure.js';
import { truncateOutput } from './truncate-output.js';

/** Most paths one glob call lists. */
export const GLOB_MAX_RESULTS = 500;

/** Input of the `glob` tool. */
export const globInput = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob pattern, e.g. "src/**/*.ts" or "**/package.json". "*" does not cross "/"; use "**/" to search subdirectories.',
    ),
  path: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory to search in, relative to the repository root; the pattern is matched relative to it. Default: the root.',
    ),
});
/** Input of the `glob` tool. */
export type GlobInput = z.infer<typeof globInput>;

/** Creates the read-only `glob` tool: files git knows of (tracked or untracked, not ignored) matching a pattern. */
export function createGlobTool(): Tool<GlobInput> {
  return {
    name: 'glob',
    description:
      'Find files by glob pattern. Lists tracked and untracked files that are not git-ignored, sorted by path, as paths relative to the repository root. Use it to locate files before viewing them.',
    inputSchema: globInput,
    readOnly: true,
    run: (input, ctx) =>
      failuresAsOutcome(async () => {
        const base = await resolveWorktreePath(ctx.root, input.path ?? '.');
        if (!base.exists) throw new ToolFailure(`The path ${input.path} does not exist.`);
        const files = await listWorktreeFiles(ctx.root, base.relative, ctx.signal);
        const matches = picomatch(input.pattern, { dot: true });
        const prefix = base.relative === '' ? '' : `${base.relative}/`;
        const found: string[] = [];
        for (const file of files.sort()) {
          if (!file.startsWith(prefix) || !matches(file.slice(prefix.length))) continue;
          // --cached still lists files deleted from the worktree but not yet from the index.
          if (!(await exists(path.join(ctx.root, file)))) continue;
          found.push(file);
        }
        if (found.length === 0)
          return { ok: true, content: `No files match ${input.pattern}${prefix ? ` in ${base.relative}` : ''}.` };
        const shown = found.slice(0, GLOB_MAX_RESULTS);
        const more = found.length - shown.length;
        const tail = more > 0 ? `\n[… ${more} more files not shown; narrow the pattern …]` : '';
        return { ok: true, content: truncateOutput(shown.join('\n'), ctx.outputLimit ?? DEFAULT_OUTPUT_LIMIT) + tail };
      }),
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (_error) {
    return false;
  }
}
