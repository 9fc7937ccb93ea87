/** A text file as lines, remembering its line ending and whether it ends with one. */
export type TextLines = { lines: string[]; eol: '\n' | '\r\n'; finalEol: boolean };

/** Splits text into lines, detecting CRLF files so edits keep their line endings. */
export function splitLines(text: string): TextLines {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text.length === 0) return { lines: [], eol, finalEol: false };
  const finalEol = text.endsWith(eol);
  const lines = (finalEol ? text.slice(0, -eol.length) : text).split(eol);
  return { lines, eol, finalEol };
}

/** Joins lines back into text with the file's own line ending. */
export function joinLines({ lines, eol, finalEol }: TextLines): string {
  if (lines.length === 0) return '';
  return lines.join(eol) + (finalEol ? eol : '');
}

/** Converts model-written text (LF or CRLF) to the file's line ending. */
export function toEol(text: string, eol: '\n' | '\r\n'): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** Formats lines like `cat -n` (number right-aligned in 6 columns, then a tab), as Anthropic's editor does. */
export function numberLines(lines: readonly string[], firstLineNumber: number): string {
  return lines.map((line, index) => `${String(index + firstLineNumber).padStart(6)}\t${line}`).join('\n');
}

/** 1-based line number of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}
