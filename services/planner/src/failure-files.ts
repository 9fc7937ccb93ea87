import path from 'node:path';
import type { Subtask } from '@baton/protocol';
import { compileScopeEntry, normaliseScopePath } from './scope-entry.js';

/**
 * The folder a tester ran its commands in: the `cd <dir> && ` prefix the recipe planner writes, else
 * its first literal scope path, else the repository root (`''`). Failure paths are relative to it.
 */
export function testerFolder(tester: Subtask): string {
  const cd = /^cd\s+('([^']*)'|(\S+))\s*&&/.exec(tester.commands?.[0] ?? '');
  if (cd !== null) return normaliseScopePath(cd[2] ?? cd[3] ?? '');
  const first = tester.scope.paths[0];
  return first !== undefined && compileScopeEntry(first).literal ? normaliseScopePath(first) : '';
}

/**
 * A failure's file as a repository-relative path, or undefined when it cannot be placed. Relative
 * paths are tried against the tester's folder first (where it ran), then the root; absolute ones by
 * the longest tail that is a repository file. Without `repoFiles` the folder-relative guess is taken.
 */
export function resolveFailureFile(file: string, folder: string, repoFiles?: ReadonlySet<string>): string | undefined {
  const cleaned = file.replace(/^file:\/\//, '').replace(/\\/g, '/');
  if (cleaned.startsWith('/') || /^[A-Za-z]:\//.test(cleaned)) {
    const segments = cleaned.split('/').filter((s) => s !== '');
    for (let i = 1; i < segments.length; i++) {
      const tail = segments.slice(i).join('/');
      if (repoFiles?.has(tail) ?? false) return tail;
      if (repoFiles === undefined && folder !== '' && tail.startsWith(`${folder}/`)) return tail;
    }
    return undefined;
  }
  const candidates = [path.posix.normalize(path.posix.join(folder, cleaned)), path.posix.normalize(cleaned)].map(
    normaliseScopePath,
  );
  const valid = candidates.filter((c) => c !== '' && !c.startsWith('../') && c !== '..');
  if (repoFiles !== undefined) return valid.find((c) => repoFiles.has(c));
  if (folder !== '' && cleaned.startsWith(`${folder}/`)) return normaliseScopePath(cleaned);
  return valid[0];
}

/** Splits a unified diff into per-file sections keyed by the new path (`b/…`). */
export function diffSections(diff: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = diff.split(/^(?=diff --git )/m);
  for (const part of parts) {
    const header = /^diff --git a\/(.+?) b\/(.+)$/m.exec(part);
    if (header?.[2] !== undefined) sections.set(header[2], part.endsWith('\n') ? part : `${part}\n`);
  }
  return sections;
}
