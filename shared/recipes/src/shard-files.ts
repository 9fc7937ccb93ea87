import path from 'node:path';
import { InvalidShardLimitsError } from './errors.js';

/** A file to shard, with its size in bytes. */
export interface SizedFile {
  path: string;
  size: number;
}

/** Upper bounds of one shard; a single file larger than `maxBytes` still gets a shard of its own. */
export interface ShardLimits {
  maxFiles: number;
  maxBytes: number;
}

/**
 * Groups files into shards by folder, then by size: folders are taken in path order (so nested and sibling folders
 * stay adjacent), a folder that fits joins the current shard whole, one that does not starts a new shard, and a
 * folder larger than a shard is split in path order. Every file lands in exactly one shard.
 * @example shardFiles(files, { maxFiles: 50, maxBytes: 256 * 1024 })
 */
export function shardFiles(files: readonly SizedFile[], limits: ShardLimits): string[][] {
  const { maxFiles, maxBytes } = limits;
  if (!(maxFiles >= 1) || !(maxBytes >= 1)) throw new InvalidShardLimitsError(maxFiles, maxBytes);
  const folders = new Map<string, SizedFile[]>();
  for (const file of [...files].sort((a, b) => compare(a.path, b.path))) {
    const folder = path.posix.dirname(file.path);
    const group = folders.get(folder);
    if (group === undefined) folders.set(folder, [file]);
    else group.push(file);
  }
  const shards: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  const close = (): void => {
    if (current.length > 0) shards.push(current);
    current = [];
    bytes = 0;
  };
  const fits = (count: number, size: number): boolean => current.length + count <= maxFiles && bytes + size <= maxBytes;
  for (const [, group] of [...folders].sort(([a], [b]) => compare(a, b))) {
    const groupBytes = group.reduce((sum, f) => sum + f.size, 0);
    if (!fits(group.length, groupBytes)) close();
    for (const file of group) {
      if (current.length > 0 && !fits(1, file.size)) close();
      current.push(file.path);
      bytes += file.size;
    }
  }
  close();
  return shards;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
