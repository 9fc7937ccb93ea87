import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '@baton/recipes';

/** The git blob id of a text (what `git hash-object` prints), so the diff records its preimage for 3-way merges. */
export function blobId(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/**
 * A git-format unified diff (`diff --git` + `index` lines) of in-memory changes, equivalent to what
 * `git diff` prints for them, without writing a checkout: recipe shards edit in memory and ship this.
 */
export function diffFromChanges(changes: readonly FileChange[]): string {
  const parts: string[] = [];
  for (const c of [...changes].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (c.before === c.after) continue;
    const hunks = createTwoFilesPatch(`a/${c.path}`, `b/${c.path}`, c.before, c.after, undefined, undefined, {
      context: 3,
    });
    // createTwoFilesPatch starts with an "Index"/"===" preamble in some versions: keep from the first "---".
    const body = hunks.slice(hunks.indexOf('--- '));
    parts.push(
      `diff --git a/${c.path} b/${c.path}\nindex ${blobId(c.before).slice(0, 12)}..${blobId(c.after).slice(0, 12)}\n${body.replace(/\t$/gm, '')}`,
    );
  }
  return parts.join('');
}
