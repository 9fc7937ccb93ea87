import type { ShardLimits } from '@baton/recipes';

/**
 * 200 files or 2 MiB per recipe shard: small enough to retry cheaply and to spread over the slots of a few workers,
 * large enough that the per-shard costs (a work item, a result, one merge commit: a few git processes) stay small
 * next to the work (a rename computes ~2,000 files a second per thread; 10,000 files at 50 per shard spent more time
 * merging 277 shards than renaming).
 */
export const DEFAULT_SHARD_LIMITS: ShardLimits = { maxFiles: 200, maxBytes: 2 * 1024 * 1024 };
