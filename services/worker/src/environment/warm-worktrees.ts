import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@baton/log';
import { gitOutput } from './git-output.js';

interface IdleTree {
  dir: string;
  /** `.git/config` and `.git/objects/info/alternates` as the clone made them. */
  config: string;
  alternates: string;
}

// Puts back what a command may have changed in `.git` before any git runs there (a `core.fsmonitor` or `core.hooksPath`
// in the config would run a command, attributes could add filters), then the commit's files and nothing else.
const RESET_SCRIPT = `cd "$1"
rm -rf .git/hooks .git/info .git/config .git/objects/info/alternates
printf '%s' "$3" > .git/config
printf '%s' "$4" > .git/objects/info/alternates
git checkout -q -f --detach "$2"
git reset -q --hard "$2"
git clean -q -ffdx
mkdir .git/info`;

const CLONE_SCRIPT = `git clone -q --shared --no-checkout -- "$1" "$2"
cd "$2"
rm -rf .git/hooks .git/info
git checkout -q --detach "$3"
mkdir .git/info`;

/**
 * Worktrees a worker reuses across attempts (per repository): an attempt takes one reset to its commit, with everything
 * a command left there removed (untracked and ignored files, `.git/hooks`, `.git/info`, a changed `.git/config`), so a
 * large repository is cloned and checked out once per slot, not once per subtask.
 */
export class WarmWorktrees {
  private readonly idle = new Map<string, IdleTree[]>();
  private readonly saved = new Map<string, IdleTree>();
  private made = 0;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    /** Idle worktrees kept per repository. */
    private readonly maxIdle: number,
  ) {}

  /** A worktree of `repo` at `commit`: an idle one reset, else a fresh `git clone --shared`. */
  async take(repo: string, commit: string): Promise<{ dir: string; warm: boolean }> {
    const idle = this.idle.get(repo) ?? [];
    for (let tree = idle.pop(); tree; tree = idle.pop()) {
      try {
        await gitOutput(tree.dir, 'reset a warm worktree', [tree.dir, commit, tree.config, tree.alternates], {
          script: RESET_SCRIPT,
        });
        this.saved.set(tree.dir, tree);
        return { dir: tree.dir, warm: true };
      } catch (err) {
        // Whatever a command did there (removed .git, made files unremovable), a fresh clone replaces it.
        this.log.warn({ err, dir: tree.dir }, 'a warm worktree could not be reset: removing it');
        await removeTree(tree.dir);
      }
    }
    const dir = join(this.dir, `t${++this.made}`);
    await removeTree(dir);
    await mkdir(this.dir, { recursive: true });
    await gitOutput(this.dir, 'git clone --shared + checkout', [repo, dir, commit], { script: CLONE_SCRIPT });
    const [config, alternates] = await Promise.all([
      readFile(join(dir, '.git', 'config'), 'utf8'),
      readFile(join(dir, '.git', 'objects', 'info', 'alternates'), 'utf8'),
    ]);
    this.saved.set(dir, { dir, config, alternates });
    return { dir, warm: false };
  }

  /** Hands a worktree back: kept for the next attempt on `repo` (reset then), or removed past the cap. */
  async give(repo: string, dir: string): Promise<void> {
    const tree = this.saved.get(dir);
    const idle = this.idle.get(repo) ?? [];
    if (tree && idle.length < this.maxIdle) {
      idle.push(tree);
      this.idle.set(repo, idle);
      return;
    }
    this.saved.delete(dir);
    await removeTree(dir);
  }
}

/** Removes a folder a command may have left unreadable (overlayfs leaves its work folder mode 000). */
export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(async () => {
    await gitOutput('/', 'chmod before removing', [dir], { script: 'chmod -R u+rwX "$1" 2>/dev/null || true' });
    await rm(dir, { recursive: true, force: true });
  });
}
