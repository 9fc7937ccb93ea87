import picomatch from 'picomatch';
import { z } from 'zod';
import { ToolFailure } from './errors.js';
import { isGitWorktree, runGit } from './git-files.js';
import { resolveWorktreePath } from './resolve-path.js';
import type { Tool } from './tool.js';
import { DEFAULT_OUTPUT_LIMIT } from './tool.js';
import { failuresAsOutcome } from './tool-failure.js';
import { truncateOutput } from './truncate-output.js';

/** Most matching lines one grep call returns. */
export const GREP_MAX_MATCHES = 300;
/** Longest matching line shown in full; longer lines (minified code) are cut. */
const maxLineLength = 400;

/** Input of the `grep` tool. */
export const grepInput = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe('POSIX extended regular expression (git grep -E): use [0-9] rather than \\d; \\s, \\w and \\b work.'),
  path: z
    .string()
    .min(1)
    .optional()
    .describe('File or directory to search, relative to the repository root. Default: the root.'),
  glob: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Only search files matching this glob, relative to path; a glob without "/" matches file names at any depth (e.g. "*.ts").',
    ),
  ignore_case: z.boolean().optional().describe('Match case-insensitively.'),
});
/** Input of the `grep` tool. */
export type GrepInput = z.infer<typeof grepInput>;

/** One matching line. */
type Match = { file: string; line: number; text: string };

/** Creates the read-only `grep` tool: regex search over text files via `git grep -n -I -E` (ignored files skipped). */
export function createGrepTool(): Tool<GrepInput> {
  return {
    name: 'grep',
    description:
      'Search file contents with a regular expression (git grep -E). Returns "path:line:text" for each matching line in tracked and untracked text files, skipping git-ignored and binary files.',
    inputSchema: grepInput,
    readOnly: true,
    run: (input, ctx) =>
      failuresAsOutcome(async () => {
        const base = await resolveWorktreePath(ctx.root, input.path ?? '.');
        if (!base.exists) throw new ToolFailure(`The path ${input.path} does not exist.`);
        const scope = (await isGitWorktree(ctx.root)) ? '--untracked' : '--no-index';
        const args = [
          'grep',
          '-n',
          '-I',
          '-E',
          '-z',
          '--no-color',
          scope,
          ...(input.ignore_case ? ['-i'] : []),
          '-e',
          input.pattern,
        ];
        // 1: no match.
        const result = await runGit(
          ctx.root,
          [...args, '--', base.relative === '' ? '.' : base.relative],
          ctx.signal,
          [0, 1],
          { cancelled: 'The search was cancelled.', failed: 'grep failed' },
        );
        if (result.exitCode === 1 && result.stdout === '')
          return { ok: true, content: `No matches for ${input.pattern}.` };

        const inGlob = globFilter(input.glob, base.relative);
        const matches = parseMatches(result.stdout).filter((match) => inGlob(match.file));
        if (matches.length === 0)
          return { ok: true, content: `No matches for ${input.pattern} in files matching ${input.glob}.` };
        const lines = matches.slice(0, GREP_MAX_MATCHES).map(({ file, line, text }) => {
          const cut = text.length > maxLineLength ? `${text.slice(0, maxLineLength)} [… line cut …]` : text;
          return `${file}:${line}:${cut}`;
        });
        const more = matches.length - lines.length;
        const tail =
          more > 0 || result.truncated
            ? `\n[… ${result.truncated ? 'more' : more} matches not shown; narrow the pattern, path or glob …]`
            : '';
        return { ok: true, content: truncateOutput(lines.join('\n'), ctx.outputLimit ?? DEFAULT_OUTPUT_LIMIT) + tail };
      }),
  };
}

function globFilter(glob: string | undefined, baseRelative: string): (file: string) => boolean {
  if (glob === undefined) return () => true;
  const matches = picomatch(glob, { dot: true, basename: true });
  const prefix = baseRelative === '' ? '' : `${baseRelative}/`;
  return (file) => matches(file.startsWith(prefix) ? file.slice(prefix.length) : file);
}

/** Parses `git grep -n -z` output: `path NUL line NUL text LF` per match (paths may hold any byte but NUL). */
function parseMatches(stdout: string): Match[] {
  const matches: Match[] = [];
  let at = 0;
  while (at < stdout.length) {
    const fileEnd = stdout.indexOf('\0', at);
    const lineEnd = fileEnd === -1 ? -1 : stdout.indexOf('\0', fileEnd + 1);
    if (lineEnd === -1) break;
    const textEnd = stdout.indexOf('\n', lineEnd + 1);
    const end = textEnd === -1 ? stdout.length : textEnd;
    matches.push({
      file: stdout.slice(at, fileEnd),
      line: Number(stdout.slice(fileEnd + 1, lineEnd)),
      text: stdout.slice(lineEnd + 1, end),
    });
    at = end + 1;
  }
  return matches;
}
