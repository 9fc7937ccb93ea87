import { describe, expect, it } from 'vitest';
import { InvalidShardLimitsError } from './errors.js';
import { shardFiles } from './shard-files.js';

const file = (p: string, size = 10) => ({ path: p, size });

describe('shardFiles', () => {
  it('keeps a folder together when it fits and starts a new shard when it does not', () => {
    const files = [file('b/1.ts'), file('a/2.ts'), file('a/1.ts'), file('b/2.ts'), file('c/1.ts')];
    expect(shardFiles(files, { maxFiles: 3, maxBytes: 1000 })).toEqual([
      ['a/1.ts', 'a/2.ts'],
      ['b/1.ts', 'b/2.ts', 'c/1.ts'],
    ]);
  });

  it('splits a folder larger than a shard, by count and by bytes', () => {
    const files = Array.from({ length: 5 }, (_, i) => file(`x/${i}.ts`));
    expect(shardFiles(files, { maxFiles: 2, maxBytes: 1000 })).toEqual([
      ['x/0.ts', 'x/1.ts'],
      ['x/2.ts', 'x/3.ts'],
      ['x/4.ts'],
    ]);
    expect(
      shardFiles([file('x/a.ts', 60), file('x/b.ts', 60), file('x/huge.ts', 500)], { maxFiles: 10, maxBytes: 100 }),
    ).toEqual([['x/a.ts'], ['x/b.ts'], ['x/huge.ts']]);
  });

  it('puts every file in exactly one shard, and refuses impossible limits', () => {
    const files = Array.from({ length: 200 }, (_, i) => file(`p${i % 7}/d${i % 3}/f${i}.ts`, 1 + (i % 13)));
    const shards = shardFiles(files, { maxFiles: 17, maxBytes: 90 });
    expect(shards.flat().sort()).toEqual(files.map((f) => f.path).sort());
    for (const shard of shards) expect(shard.length).toBeLessThanOrEqual(17);
    expect(shardFiles([], { maxFiles: 1, maxBytes: 1 })).toEqual([]);
    expect(() => shardFiles(files, { maxFiles: 0, maxBytes: 10 })).toThrow(InvalidShardLimitsError);
  });
});
