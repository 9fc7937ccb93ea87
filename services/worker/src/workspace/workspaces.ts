import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@baton/bus';
import { GitError, cloneWorktree, diffWithNames, extractCommit, fetchBundle, hasCommit, runGit } from '@baton/git';
import type { Logger } from '@baton/log';
import type { RepoSource } from '@baton/protocol';
import { SnapshotMissingError, WorkspaceError } from '../errors.js';

/** A private scratch checkout of one subtask attempt. */
export interface Worktree {
  dir: string;
  /** `git diff --binary` of everything changed since the base commit (new files included), and the changed paths. */
  diff(): Promise<{ diff: string; files: string[] }>;
  remove(): Promise<void>;
}

/** Options of Workspaces.open. */
export interface WorkspacesOptions {
  workerId: string;
  /** Parent of every worker's scratch folder; default `<tmpdir>/baton-worker`. */
  baseDir?: string;
  /** Object store holding snapshots (NATS mode). */
  snapshots?: (bucket: string) => Promise<ObjectStore>;
  log: Logger;
  /** Read-only checkouts kept per worker. Default 3. */
  maxCheckouts?: number;
}

const INCOMING = '.incoming-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A worker's scratch space: per-attempt worktrees (`git clone --shared` of the repository, so the
 * user's repository gains no worktree metadata and its checkout is never touched), a mirror of
 * snapshots fetched from the object store cached by commit, and shared read-only checkouts for recipe work.
 */
export class Workspaces {
  private fetching = Promise.resolve();
  /** Commits the snapshot mirror is known to hold. */
  private readonly present = new Set<string>();
  private readonly checkouts = new Map<string, { dir: Promise<string>; users: number }>();

  private constructor(
    readonly dir: string,
    private readonly options: WorkspacesOptions,
  ) {}

  /** Creates this worker's scratch folder and removes those of crashed workers (owner pid gone). */
  static async open(options: WorkspacesOptions): Promise<Workspaces> {
    const base = options.baseDir ?? join(tmpdir(), 'baton-worker');
    await mkdir(base, { recursive: true });
    for (const name of await readdir(base)) {
      const raw = await readFile(join(base, name, 'owner.pid'), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
        throw err;
      });
      // A folder being created by another worker has no owner yet: it is not stale.
      if (raw === null && name.startsWith(INCOMING)) continue;
      const owner = Number(raw ?? 'NaN');
      if (!Number.isInteger(owner) || !alive(owner)) {
        options.log.info({ dir: join(base, name) }, 'removing a stale scratch folder');
        await rm(join(base, name), { recursive: true, force: true });
      }
    }
    // Built aside and renamed into place, so another worker's scan never sees it without its owner.
    const incoming = await mkdtemp(join(base, INCOMING));
    await writeFile(join(incoming, 'owner.pid'), String(process.pid));
    await mkdir(join(incoming, 'trees'));
    const dir = join(base, options.workerId);
    await rm(dir, { recursive: true, force: true });
    await rename(incoming, dir);
    return new Workspaces(dir, options);
  }

  /** The git repository to read objects from: the local path, or the snapshot mirror after fetching the commit. */
  async repository(source: RepoSource, commit: string): Promise<string> {
    if (source.kind === 'local') return source.path;
    const mirror = join(this.dir, 'mirror.git');
    // The mirror only grows: a commit found or fetched once needs no git process on the next attempt that uses it.
    if (this.present.has(commit)) return mirror;
    const step = this.fetching.then(async () => {
      // The mirror is this worker's own: nothing from the machine's git config applies to it.
      if (!existsSync(mirror))
        await inWorkspace(runGit(this.dir, ['init', '-q', '--bare', mirror], { userConfig: false }));
      if (await inWorkspace(hasCommit(mirror, commit, { userConfig: false }))) {
        this.present.add(commit);
        return;
      }
      const store = await this.options.snapshots?.(source.bucket);
      const bytes = await store?.getBytes(source.object);
      if (!bytes) throw new SnapshotMissingError(source.bucket, source.object);
      const file = join(this.dir, `${commit}.bundle`);
      await writeFile(file, bytes);
      try {
        await inWorkspace(fetchBundle(mirror, file, `+refs/*:refs/baton-cache/${commit}/*`));
        this.present.add(commit);
      } finally {
        await rm(file, { force: true });
      }
    });
    this.fetching = step.catch(() => undefined);
    await step;
    return mirror;
  }

  /** A private worktree at `commit` for one attempt. */
  async worktree(source: RepoSource, commit: string, name: string): Promise<Worktree> {
    const repo = await this.repository(source, commit);
    const dir = join(this.dir, 'trees', name);
    await rm(dir, { recursive: true, force: true });
    try {
      await inWorkspace(cloneWorktree(repo, dir, commit));
    } catch (err) {
      // The mirror may have been removed from outside: the next attempt looks for the commit again.
      this.present.delete(commit);
      throw err;
    }
    return {
      dir,
      // One process: everything staged, the changed paths, then the patch (see diffWithNames).
      diff: () => inWorkspace(diffWithNames(dir, commit)),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  }

  /**
   * Uses the shared read-only checkout of `commit` (recipe shards read it; nobody writes it) for
   * the duration of `use`. Checkouts in use are never evicted; idle ones are, oldest first, past the cap.
   */
  async withCheckout<T>(source: RepoSource, commit: string, use: (dir: string) => Promise<T>): Promise<T> {
    let entry = this.checkouts.get(commit);
    if (!entry) {
      const dir = this.makeCheckout(source, commit);
      entry = { dir, users: 0 };
      this.checkouts.set(commit, entry);
      dir.catch(() => this.checkouts.delete(commit));
    }
    entry.users++;
    try {
      return await use(await entry.dir);
    } finally {
      entry.users--;
      this.evict();
    }
  }

  private async makeCheckout(source: RepoSource, commit: string): Promise<string> {
    const repo = await this.repository(source, commit);
    const dir = join(this.dir, 'checkouts', commit);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await inWorkspace(extractCommit(repo, commit, dir));
    return dir;
  }

  private evict(): void {
    const max = this.options.maxCheckouts ?? 3;
    for (const [commit, entry] of [...this.checkouts]) {
      if (this.checkouts.size <= max) break;
      if (entry.users > 0) continue;
      this.checkouts.delete(commit);
      entry.dir
        .then((dir) => rm(dir, { recursive: true, force: true }))
        .catch((err: unknown) => this.options.log.warn({ err, commit }, 'could not remove an old checkout'));
    }
  }

  /** Removes this worker's scratch folder. */
  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A git step of the workspace, its GitError reported as a WorkspaceError naming the step (what the worker reports). */
async function inWorkspace<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    if (err instanceof GitError) throw new WorkspaceError(err.message, err.step, { cause: err });
    throw err;
  }
}
