import type { Subtask } from '@baton/protocol';
import type { RepoIndex } from './repo-index.js';
import { compileScopeEntry, isUnder, type ScopeEntry } from './scope-entry.js';

/** Two subtasks that may write the same file, with a phrase that shows it (`"src/a.ts"`). */
export interface WriteOverlap {
  a: number;
  b: number;
  evidence: string;
}

/**
 * The paths a subtask may write: `scope.write` when given, else `scope.paths`. A tester writes
 * nothing unless it declares `scope.write` (its diff is never merged), and an editor or shell
 * with no scope at all may write anywhere (`''`, the whole repository).
 */
export function writeScopeOf(subtask: Subtask): string[] {
  if (subtask.scope.write !== undefined) return subtask.scope.write;
  if (subtask.kind === 'tester') return [];
  return subtask.scope.paths.length > 0 ? subtask.scope.paths : [''];
}

interface OwnedEntry extends ScopeEntry {
  owner: number;
}

/**
 * Pairs of subtasks that may run in parallel and whose write scopes overlap. Two entries overlap when:
 * - both are literal and equal, or one is a folder holding the other (this covers files not yet created);
 * - a glob matches the literal path, or the glob matches a repository file under the literal folder
 *   (without `repo`: the literal is the glob's static base, inside it, or above it — conservatively);
 * - two globs match a common repository file (without `repo`: their static bases are equal or nested).
 */
export function findWriteOverlaps(
  subtasks: readonly Subtask[],
  parallel: (a: number, b: number) => boolean,
  repo?: RepoIndex,
): WriteOverlap[] {
  const found = new Map<string, WriteOverlap>();
  const consider = (a: number, b: number, evidence: string): void => {
    if (a === b || !parallel(a, b)) return;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (!found.has(key)) found.set(key, { a: Math.min(a, b), b: Math.max(a, b), evidence });
  };

  const literals: OwnedEntry[] = [];
  const globs: OwnedEntry[] = [];
  subtasks.forEach((s, owner) => {
    for (const raw of new Set(writeScopeOf(s))) {
      const entry = { ...compileScopeEntry(raw), owner };
      (entry.literal ? literals : globs).push(entry);
    }
  });

  const literalOwners = new Map<string, number[]>();
  for (const l of literals) literalOwners.set(l.path, [...(literalOwners.get(l.path) ?? []), l.owner]);
  for (const l of literals) {
    for (const b of literalOwners.get(l.path) ?? []) consider(l.owner, b, quote(l.path));
    for (const folder of ancestorsOf(l.path)) {
      for (const b of literalOwners.get(folder) ?? []) consider(l.owner, b, quote(folder === '' ? '' : l.path));
    }
  }

  const matched = new Map<OwnedEntry, Set<string>>();
  const filesOf = (g: OwnedEntry, files: RepoIndex): Set<string> => {
    let set = matched.get(g);
    if (set === undefined) {
      set = new Set(files.filesUnder(g.base).filter((f) => g.covers(f)));
      matched.set(g, set);
    }
    return set;
  };

  globs.forEach((g, i) => {
    for (const l of literals) {
      if (l.owner === g.owner || !parallel(l.owner, g.owner)) continue;
      if (g.covers(l.path)) consider(g.owner, l.owner, quote(l.path));
      else if (repo !== undefined) {
        const mine = filesOf(g, repo);
        const shared = repo.filesUnder(l.path).find((f) => mine.has(f));
        if (shared !== undefined) consider(g.owner, l.owner, quote(shared));
      } else if (related(g.base, l.path))
        consider(g.owner, l.owner, `files matching both "${g.raw}" and ${quote(l.path)}`);
    }
    for (const h of globs.slice(i + 1)) {
      if (h.owner === g.owner || !parallel(h.owner, g.owner)) continue;
      if (repo !== undefined) {
        const theirs = filesOf(h, repo);
        const shared = [...filesOf(g, repo)].find((f) => theirs.has(f));
        if (shared !== undefined) consider(g.owner, h.owner, quote(shared));
      } else if (g.path === h.path || related(g.base, h.base)) {
        consider(g.owner, h.owner, `files matching both "${g.raw}" and "${h.raw}"`);
      }
    }
  });
  return [...found.values()];
}

function quote(path: string): string {
  return path === '' ? 'anywhere in the repository (a subtask without a write scope may write anything)' : `"${path}"`;
}

function related(x: string, y: string): boolean {
  return x === y || isUnder(x, y) || isUnder(y, x);
}

/** Proper ancestor folders of a path, the root (`''`) included. */
function ancestorsOf(path: string): string[] {
  if (path === '') return [];
  const out = [''];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}
