/** A replacement of the text between `start` and `end` (offsets into the original). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits from the end of `source` backwards, so earlier offsets stay valid and the rest is byte-identical. */
export function applyTextEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = source;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    // Duplicate or overlapping edits (the same identifier reached twice) keep the later-positioned one.
    if (edit.end > limit) continue;
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}
