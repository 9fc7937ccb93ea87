import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';

/** The state of a file when the actor last viewed or wrote it. */
export type FileStamp = { hash: string; mtimeMs: number; size: number };

/** Whether a file is as the actor last saw it. */
export const Freshness = { Fresh: 'fresh', Unseen: 'unseen', Changed: 'changed' } as const;
/** Whether a file is as the actor last saw it. */
export type Freshness = (typeof Freshness)[keyof typeof Freshness];

/** Per-actor memory of viewed files, keyed by repository-relative posix path, for read-before-edit. */
export interface FileTracker {
  /** Remembers `stamp` as the state the actor now knows `relative` to be in. */
  record(relative: string, stamp: FileStamp): void;
  /** The last recorded stamp of `relative`, if any. */
  get(relative: string): FileStamp | undefined;
  /** Compares the file's current stamp with the recorded one (hash, mtime and size must all match). */
  check(relative: string, current: FileStamp): Freshness;
  /** Drops what is known about `relative`. */
  forget(relative: string): void;
  /** Every path with a recorded stamp, sorted. */
  paths(): string[];
}

/** Creates an empty {@link FileTracker}; give each actor its own. */
export function createFileTracker(): FileTracker {
  const stamps = new Map<string, FileStamp>();
  return {
    record: (relative, stamp) => void stamps.set(relative, { ...stamp }),
    get: (relative) => {
      const stamp = stamps.get(relative);
      return stamp && { ...stamp };
    },
    check: (relative, current) => {
      const known = stamps.get(relative);
      if (known === undefined) return Freshness.Unseen;
      const same = known.hash === current.hash && known.mtimeMs === current.mtimeMs && known.size === current.size;
      return same ? Freshness.Fresh : Freshness.Changed;
    },
    forget: (relative) => void stamps.delete(relative),
    paths: () => [...stamps.keys()].sort(),
  };
}

/** The stamp of a file from its bytes and its `stat`. */
export function stampOf(content: Uint8Array, info: Pick<Stats, 'mtimeMs' | 'size'>): FileStamp {
  return { hash: createHash('sha256').update(content).digest('hex'), mtimeMs: info.mtimeMs, size: info.size };
}
