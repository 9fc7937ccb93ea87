import type { RepoFile } from './repo-files.js';

/** How big one recipe shard may be. */
export interface ShardLimits {
  maxFiles: number;
  maxBytes: number;
}

/** 50 files or 512 KiB per shard: small enough to retry cheaply, large enough to amortise a worker's setup. */
export const DEFAULT_SHARD_LIMITS: ShardLimits = { maxFiles: 50, maxBytes: 512 * 1024 };

/**
 * Groups files into shards within the limits, keeping each folder together when it fits (folders in
 * path order, so siblings land side by side) and splitting a folder only when it alone exceeds a limit.
 * A single file larger than `maxBytes` gets a shard of its own.
 *
 * Written here because `@baton/recipes`' `shardFiles` had not landed when the planner was built.
 */
export function shardFiles(files: readonly RepoFile[], limits: ShardLimits = DEFAULT_SHARD_LIMITS): string[][] {
  const byFolder = new Map<string, RepoFile[]>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const folder = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    const group = byFolder.get(folder);
    if (group === undefined) byFolder.set(folder, [f]);
    else group.push(f);
  }
  const shards: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  const close = (): void => {
    if (current.length > 0) shards.push(current);
    current = [];
    bytes = 0;
  };
  const fits = (count: number, size: number): boolean => current.length + count <= limits.maxFiles && bytes + size <= limits.maxBytes;

  for (const group of [...byFolder.keys()].sort().map((k) => byFolder.get(k)!)) {
    const size = group.reduce((n, f) => n + f.size, 0);
    if (!fits(group.length, size)) close();
    for (const f of group) {
      if (current.length > 0 && !fits(1, f.size)) close();
      current.push(f.path);
      bytes += f.size;
    }
  }
  close();
  return shards;
}
