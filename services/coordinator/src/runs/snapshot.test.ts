import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBroker, type MemoryBroker } from '@baton/bus';
import { runGit } from '@baton/git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishSnapshot } from './snapshot.js';

// Fixed identity and dates: the same commits, packs and bundles on every run of this git version.
const env = {
  GIT_AUTHOR_NAME: 'Baton',
  GIT_AUTHOR_EMAIL: 'baton@localhost',
  GIT_COMMITTER_NAME: 'Baton',
  GIT_COMMITTER_EMAIL: 'baton@localhost',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};
const git = async (cwd: string, args: string[], input?: string) =>
  (await runGit(cwd, args, { env, ...(input !== undefined ? { input } : {}) })).stdout.replace(/\n$/, '');

describe('publishSnapshot', () => {
  let tmp: string;
  let broker: MemoryBroker;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-snapshot-test-'));
    broker = createMemoryBroker();
  });
  afterEach(async () => {
    await broker.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('stores a bundle whose last byte is a newline whole, and a fresh repository fetches the commit from it', async () => {
    const repo = join(tmp, 'repo');
    await git(tmp, ['init', '-q', '-b', 'main', repo]);
    await writeFile(join(repo, 'a.txt'), 'hello\n');
    await git(repo, ['add', 'a.txt']);
    const tree = await git(repo, ['write-tree']);
    // A bundle ends with its pack's SHA-1; find a commit whose SHA-1 ends in 0x0a (with git 2.39, message 31 is the
    // first: the search starts there and goes on for another git version).
    let commit = '';
    let bundle = Buffer.alloc(0);
    for (let n = 31; n < 31 + 4_000 && bundle.at(-1) !== 0x0a; n++) {
      commit = await git(repo, ['commit-tree', tree], `snapshot ${n}\n`);
      await git(repo, ['update-ref', 'refs/heads/probe', commit]);
      await git(repo, ['bundle', 'create', '-q', join(tmp, 'probe.bundle'), 'refs/heads/probe']);
      bundle = await readFile(join(tmp, 'probe.bundle'));
    }
    expect(bundle.at(-1), 'no commit with such a bundle was found').toBe(0x0a);
    await git(repo, ['update-ref', '-d', 'refs/heads/probe']);

    const store = await broker.connect().objectStore('snapshots');
    const name = await publishSnapshot(store, repo, commit);
    const stored = Buffer.from((await store.getBytes(name))!);
    // The pack is what the probe bundled (the header differs only in the temporary ref's name).
    expect(stored.subarray(stored.indexOf('\n\n') + 2).equals(bundle.subarray(bundle.indexOf('\n\n') + 2))).toBe(true);

    const mirror = join(tmp, 'mirror.git');
    await git(tmp, ['init', '-q', '--bare', mirror]);
    await writeFile(join(tmp, 'fetched.bundle'), stored);
    await git(mirror, ['fetch', '-q', join(tmp, 'fetched.bundle'), '+refs/*:refs/fetched/*']);
    expect(await git(mirror, ['rev-parse', `${commit}^{tree}`])).toBe(tree);
    // No temporary ref is left in the user's repository.
    expect(await git(repo, ['for-each-ref', 'refs/baton-snapshots'])).toBe('');
  });
});
