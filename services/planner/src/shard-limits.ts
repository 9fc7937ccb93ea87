import type { ShardLimits } from '@baton/recipes';

/** 50 files or 512 KiB per recipe shard: small enough to retry cheaply, large enough to amortise a worker's setup. */
export const DEFAULT_SHARD_LIMITS: ShardLimits = { maxFiles: 50, maxBytes: 512 * 1024 };
