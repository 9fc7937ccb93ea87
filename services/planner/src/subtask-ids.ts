import { ID_PATTERN } from '@baton/protocol';

/** Hands out readable subtask ids (`rename-pkg-03-1`) that never collide with each other or with ids already taken. */
export interface IdAllocator {
  /** A free id built from `parts` (joined with `-`, sanitised, shortened to fit), suffixed `-2`, `-3`… on collision. */
  next(...parts: (string | number)[]): string;
}

/** Creates an IdAllocator that avoids `taken` (a run's existing ids, for repairs). */
export function createIdAllocator(taken: Iterable<string> = []): IdAllocator {
  const used = new Set(taken);
  return {
    next(...parts) {
      const base = sanitise(parts.map(String).join('-'));
      for (let n = 1; ; n++) {
        const suffix = n === 1 ? '' : `-${n}`;
        const id = `${base.slice(0, 64 - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
        if (!used.has(id) && ID_PATTERN.test(id)) {
          used.add(id);
          return id;
        }
      }
    },
  };
}

/**
 * A short readable name per package folder: its last segment (`packages/pkg-03` -> `pkg-03`),
 * more segments when two packages share a last segment, `root` for the repository root.
 */
export function packageSlugs(dirs: readonly string[]): Map<string, string> {
  const slugs = new Map<string, string>();
  const tail = (dir: string, depth: number): string => (dir === '' ? 'root' : dir.split('/').slice(-depth).join('-'));
  for (const dir of dirs) {
    const segments = dir === '' ? 1 : dir.split('/').length;
    let depth = 1;
    while (depth < segments && dirs.some((other) => other !== dir && tail(other, depth) === tail(dir, depth))) depth++;
    slugs.set(dir, sanitise(tail(dir, depth)));
  }
  return slugs;
}

function sanitise(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').replace(/-{2,}/g, '-');
  return s === '' ? 'x' : s;
}
