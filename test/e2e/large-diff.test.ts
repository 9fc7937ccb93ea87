import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Result, RunSpec } from '@baton/protocol';
import { DIFF_INLINE_LIMIT } from '@baton/worker';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { createGitRepo, git, showFile } from './git-repo-fixture.js';

describe('a diff too large for a message', () => {
  let dir: string;
  let stack: EmbeddedStack;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-large-diff-'));
    stack = await startEmbeddedStack({ dir });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('travels through the object store and lands on the branch whole', async () => {
    const repo = join(dir, 'repo');
    await createGitRepo(repo, { 'packages/alpha/package.json': '{ "name": "alpha" }\n' });
    const results: Result[] = [];
    const sub = stack.bus.subscribe(stack.bus.subjects.resultsAll(), Result, (r) => void results.push(r));
    // 40,000 lines of 16 characters: ~640 KiB of diff, well over the inline limit.
    const command = `node -e "require('fs').writeFileSync('big.txt', Array.from({ length: 40000 }, (_, i) => 'line ' + String(i).padStart(10, '0')).join('\\n') + '\\n')"`;
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command, packages: 'packages/*' },
      testCommands: ['true'],
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);
    await sub.unsubscribe();
    expect(run.status, run.detail).toBe('succeeded');
    const shell = results.find((r) => r.subtaskId.startsWith('cmd-'))!;
    expect(shell.diff).toBe('');
    expect(shell.diffRef!.bytes).toBeGreaterThan(DIFF_INLINE_LIMIT);
    const big = await showFile(repo, branch, 'packages/alpha/big.txt');
    const lines = big.trimEnd().split('\n');
    expect(lines).toHaveLength(40_000);
    expect([lines[0], lines.at(-1)]).toEqual(['line 0000000000', 'line 0000039999']);
    expect(await git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });
});
