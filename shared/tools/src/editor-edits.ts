import { stat } from 'node:fs/promises';
import { ToolFailure } from './errors.js';
import { readTextFile, requireFresh, writeChecked } from './editable-file.js';
import { Freshness } from './file-tracker.js';
import type { ResolvedPath } from './resolve-path.js';
import { joinLines, lineOfOffset, numberLines, splitLines, toEol } from './text-lines.js';
import type { ToolContext, ToolOutcome } from './tool.js';

const snippetContext = 4;

/** A write command's target: the resolved path plus the path as the model wrote it. */
export type EditTarget = { resolved: ResolvedPath; input: string; shown: string };

/** The editor's `str_replace`: replaces the one occurrence of `oldStr`, refusing zero or several. */
export async function strReplace(
  ctx: ToolContext,
  target: EditTarget,
  oldStr: string,
  newStr: string,
): Promise<ToolOutcome> {
  const file = await readTextFile(target.resolved, target.shown);
  requireFresh(ctx, file, target.shown);
  const { eol } = splitLines(file.text);
  const needle = toEol(oldStr, eol);
  const replacement = toEol(newStr, eol);
  if (needle.length === 0) throw new ToolFailure('No replacement was performed: `old_str` must not be empty.');

  const offsets = occurrences(file.text, needle);
  if (offsets.length === 0) {
    throw new ToolFailure(
      `No replacement was performed: old_str did not appear verbatim in ${target.shown} (0 matches). View the file again and copy the text exactly, including whitespace.`,
    );
  }
  if (offsets.length > 1) {
    const lines = offsets.map((offset) => lineOfOffset(file.text, offset));
    throw new ToolFailure(
      `No replacement was performed: old_str matches ${offsets.length} times in ${target.shown}, at lines ${lines.join(', ')}. Include more surrounding lines in old_str so it matches exactly once.`,
    );
  }
  if (needle === replacement)
    throw new ToolFailure('No replacement was performed: `old_str` and `new_str` are identical.');

  const offset = offsets[0] ?? 0;
  const content = file.text.slice(0, offset) + replacement + file.text.slice(offset + needle.length);
  const written = await writeChecked(ctx, {
    kind: 'Edit',
    input: target.input,
    shown: target.shown,
    content,
    previous: file,
  });
  const firstChanged = lineOfOffset(file.text, offset);
  const lastChanged = firstChanged + splitLines(replacement).lines.length - 1;
  return { ok: true, content: edited(target.shown, content, firstChanged, lastChanged), changedPaths: [written] };
}

/** The editor's `insert`: inserts `text` after line `insertLine` (0 inserts at the top). */
export async function insertLines(
  ctx: ToolContext,
  target: EditTarget,
  insertLine: number,
  text: string,
): Promise<ToolOutcome> {
  const file = await readTextFile(target.resolved, target.shown);
  requireFresh(ctx, file, target.shown);
  const parsed = splitLines(file.text);
  if (insertLine > parsed.lines.length) {
    throw new ToolFailure(
      `Invalid \`insert_line\` parameter: ${insertLine}. It should be within the range of lines of the file: [0, ${parsed.lines.length}].`,
    );
  }
  // insert_text is whole lines: one trailing newline ends its last line rather than adding a blank one.
  const inserted = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const lines = [...parsed.lines.slice(0, insertLine), ...inserted, ...parsed.lines.slice(insertLine)];
  // Appending to a file without a final newline must not glue the new text onto its last line.
  const finalEol =
    parsed.finalEol || (insertLine === parsed.lines.length && parsed.lines.length > 0) || parsed.lines.length === 0;
  const content = joinLines({ lines, eol: parsed.eol, finalEol });
  const written = await writeChecked(ctx, {
    kind: 'Edit',
    input: target.input,
    shown: target.shown,
    content,
    previous: file,
  });
  return {
    ok: true,
    content: edited(target.shown, content, insertLine + 1, insertLine + inserted.length),
    changedPaths: [written],
  };
}

/** The editor's `create`: writes a new file; an existing file may be overwritten only if viewed and unchanged since. */
export async function createFile(ctx: ToolContext, target: EditTarget, fileText: string): Promise<ToolOutcome> {
  let previous = null;
  if (target.resolved.exists) {
    if ((await stat(target.resolved.absolute)).isDirectory())
      throw new ToolFailure(`Cannot create ${target.shown}: it is a directory.`);
    previous = await readTextFile(target.resolved, target.shown);
    const freshness = ctx.files.check(target.resolved.relative, previous.stamp);
    if (freshness !== Freshness.Fresh) {
      throw new ToolFailure(
        `Refused: ${target.shown} already exists and ${freshness === Freshness.Unseen ? 'you have not viewed it' : 'it changed on disk since you viewed it'}. ` +
          'View it first if you mean to replace it, or use str_replace for a targeted change. Nothing was changed.',
      );
    }
  }
  const written = await writeChecked(ctx, {
    kind: 'Write',
    input: target.input,
    shown: target.shown,
    content: fileText,
    previous,
  });
  const verb = previous === null ? 'created' : 'overwritten';
  return { ok: true, content: `File ${verb} successfully at: ${target.shown}`, changedPaths: [written] };
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + needle.length))
    found.push(index);
  return found;
}

function edited(shown: string, content: string, firstChanged: number, lastChanged: number): string {
  const { lines } = splitLines(content);
  const from = Math.max(1, firstChanged - snippetContext);
  const to = Math.min(lines.length, Math.max(lastChanged, firstChanged) + snippetContext);
  return (
    `The file ${shown} has been edited. Here's the result of running \`cat -n\` on a snippet of ${shown}:\n` +
    numberLines(lines.slice(from - 1, to), from) +
    '\nReview the changes and make sure they are as expected. Edit the file again if necessary.'
  );
}
