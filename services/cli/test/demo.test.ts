import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';
import { git } from './git.js';

describe('baton demo', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-demo-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes a sample repository, renames purry on a baton/<runId> branch and says where', async () => {
    const dir = join(tmp, 'repo');
    const r = await runBaton(['demo', '--files', '120', '--dir', dir], { timeoutMs: 290_000 });
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stdout).toContain(`repository: ${dir}\n`);
    const branch = /^branch: (baton\/\S+) at /m.exec(r.stdout)?.[1];
    expect(branch, r.stdout).toBeDefined();
    expect(r.stdout).toContain(`git -C ${dir} diff main...${branch}`);
    expect(await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await git(dir, ['show', `${branch!}:packages/pkg-00/src/internal/purry.ts`])).toMatch(/\bcurryDataFirst\b/);
  }, 300_000);
});
