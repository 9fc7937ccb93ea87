import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '@baton/log';
import type { EnvironmentConfig } from '@baton/protocol';
import { runCommand, type CommandLauncher } from '@baton/tools';
import { environmentKey } from './environment-key.js';
import { EnvironmentInstallError } from './errors.js';
import { gitOutput } from './git-output.js';
import { environmentFingerprint, linkEnvironment } from './hard-link-copy.js';
import { canMountOverlay, overlayLauncher, overlaySafe } from './overlay-launcher.js';
import { detectPackageManager, LOCKFILES } from './package-manager.js';
import { prepareEnvironment, type PreparedEnvironment } from './prepare-environment.js';
import { runProgram } from './run-program.js';
import { removeTree, WarmWorktrees } from './warm-worktrees.js';

/**
 * How an attempt's worktree gets the prepared environment's folders. `overlay`: an overlayfs mount per folder inside
 * each command's own user and mount namespace (nothing copied; full isolation; visible to commands only). `hard-link`:
 * `cp -al` copies (new folders, shared file inodes; an in-place write into a linked file is detected afterwards and
 * the prepared copy rebuilt). `auto` takes overlay where the machine allows it.
 */
export const Isolation = { overlay: 'overlay', hardLink: 'hard-link' } as const;
/** How an attempt's worktree gets the prepared environment's folders. */
export type Isolation = (typeof Isolation)[keyof typeof Isolation];

/** Options of WorktreeEnvironments. */
export interface WorktreeEnvironmentsOptions {
  /** The worker's scratch folder; prepared environments and warm worktrees live under it. */
  dir: string;
  log: Logger;
  isolation?: Isolation | 'auto';
  /** Wall-clock limit of one setup command. Default 20 min. */
  setupTimeoutMs?: number;
  /** Idle worktrees kept per repository for later attempts. Default 4. */
  maxIdle?: number;
}

/** What an attempt asks for. */
export interface AttemptRequest {
  /** A git repository holding `commit`. */
  repo: string;
  /** The user's checkout, when on this machine (what they installed is brought from it). */
  checkout?: string;
  commit: string;
  config: EnvironmentConfig;
  /**
   * When the commit's manifests or lockfiles differ from those the environment was prepared for (a subtask changed
   * them), install in this worktree instead (testers and shells, which run the project's commands on that change).
   */
  installOnManifestChange: boolean;
  signal?: AbortSignal;
}

/** A ready worktree for one attempt. */
export interface AttemptWorktree {
  dir: string;
  /** How every command of this attempt starts (undefined: plain `bash -c`, the folders being real copies). */
  launch: CommandLauncher | undefined;
  environment: PreparedEnvironment;
  /** Whether the worktree was reused from an earlier attempt. */
  warm: boolean;
  /** `git diff --binary` of everything changed since the commit (new files included), and the changed paths. */
  diff(): Promise<{ diff: string; files: string[] }>;
  /** Ends the attempt: its writes to the environment are dropped and the worktree is kept for the next one. */
  release(): Promise<void>;
}

/**
 * Environments for a worker's worktrees: prepared once per environment key (see prepareEnvironment), handed to each
 * attempt's worktree without copying it (see Isolation), in worktrees reused across attempts (see WarmWorktrees).
 */
export class WorktreeEnvironments {
  /** Setup runs so far (each prepared key, each install in a worktree): logs and tests count them. */
  installs = 0;
  private readonly prepared = new Map<string, Promise<PreparedEnvironment>>();
  private readonly fingerprints = new Map<string, string>();
  private readonly warm: WarmWorktrees;
  private chosen: Promise<Isolation> | undefined;
  private scratches = 0;

  constructor(private readonly options: WorktreeEnvironmentsOptions) {
    this.warm = new WarmWorktrees(join(options.dir, 'warm'), options.log, options.maxIdle ?? 4);
  }

  /** The isolation used here: the option, or overlay when this machine can mount it. */
  isolation(): Promise<Isolation> {
    const wanted = this.options.isolation ?? 'auto';
    this.chosen ??=
      wanted !== 'auto'
        ? Promise.resolve(wanted)
        : canMountOverlay(join(this.options.dir, 'probe')).then((ok) => (ok ? 'overlay' : 'hard-link'));
    return this.chosen;
  }

  /** The prepared environment of the request's key: prepared on first use, shared by every later attempt. */
  async environment(req: AttemptRequest): Promise<PreparedEnvironment> {
    const key = await environmentKey(req.repo, req.commit, req.config);
    let env = this.prepared.get(key.id);
    if (!env) {
      const dir = join(this.options.dir, 'envs', `${key.id}-${++this.scratches}`);
      env = (async () => {
        const prepared = await prepareEnvironment({
          repo: req.repo,
          ...(req.checkout ? { checkout: req.checkout } : {}),
          commit: req.commit,
          key,
          config: req.config,
          dir,
          timeoutMs: this.options.setupTimeoutMs ?? 20 * 60_000,
          log: this.options.log,
          ...(req.signal ? { signal: req.signal } : {}),
        });
        this.installs += prepared.setup.length > 0 ? 1 : 0;
        if ((await this.isolation()) === 'hard-link')
          this.fingerprints.set(key.id, await environmentFingerprint(prepared.tree, prepared.dirs));
        this.options.log.info(
          { key: key.id, commit: req.commit, dirs: prepared.dirs.length, setup: prepared.setup },
          'environment prepared',
        );
        return prepared;
      })();
      this.prepared.set(key.id, env);
      // A failed preparation is tried again by the next attempt that needs it (the run usually stops first).
      env.catch(() => {
        if (this.prepared.get(key.id) === env) this.prepared.delete(key.id);
        return removeTree(dir);
      });
    }
    return env;
  }

  /** A worktree at the request's commit with its environment, ready for the attempt's commands. */
  async acquire(req: AttemptRequest): Promise<AttemptWorktree> {
    const env = await this.environment(req);
    const isolation = await this.isolation();
    const { dir, warm } = await this.warm.take(req.repo, req.commit);
    const scratch = `${dir}.scratch`;
    let launch: CommandLauncher | undefined;
    try {
      await removeTree(scratch);
      // Whatever the environment holds is never part of a diff, even where the project does not ignore it.
      await writeFile(
        join(dir, '.git', 'info', 'exclude'),
        [...env.dirs, ...env.files].map((p) => `/${p.replace(/([*?[\\!#])/g, '\\$1')}`).join('\n') + '\n',
      );
      for (const file of env.files) {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await runProgram('cp', ['-a', '--reflink=auto', '--', join(env.tree, file), join(dir, file)]);
      }
      if (isolation === 'overlay' && [env.tree, dir, scratch, ...env.dirs].every(overlaySafe)) {
        for (const d of env.dirs) await mkdir(join(dir, d), { recursive: true });
        launch = overlayLauncher({ worktree: dir, lower: env.tree, dirs: env.dirs, scratch });
      } else {
        await linkEnvironment(env.tree, dir, env.dirs);
      }
      if (req.installOnManifestChange) await this.installIfChanged(env, req, dir, launch);
    } catch (err) {
      await this.warm.give(req.repo, dir);
      throw err;
    }
    return {
      dir,
      launch,
      environment: env,
      warm,
      diff: () => worktreeDiff(dir, req.commit),
      release: async () => {
        await removeTree(scratch);
        if (launch === undefined) await this.checkLinked(env);
        await this.warm.give(req.repo, dir);
      },
    };
  }

  /** Installs in the worktree when the commit's manifests differ from the environment's (a subtask changed them). */
  private async installIfChanged(
    env: PreparedEnvironment,
    req: AttemptRequest,
    dir: string,
    launch: CommandLauncher | undefined,
  ): Promise<void> {
    if (env.commit === req.commit) return;
    const changed = await gitOutput(dir, 'git diff (manifests)', [
      'diff',
      '--name-only',
      env.commit,
      req.commit,
      '--',
      ':(glob)**/package.json',
      ':(glob)**/pnpm-workspace.yaml',
      ...(req.config.key ?? LOCKFILES),
    ]);
    if (changed.trim() === '') return;
    const pm = detectPackageManager(env.key.rootFiles);
    if (!pm) return;
    this.installs++;
    this.options.log.info(
      { command: pm.installChanged, changed: changed.trim().split('\n') },
      'manifests changed: installing in the worktree',
    );
    const r = await runCommand(pm.installChanged, {
      cwd: dir,
      timeoutMs: this.options.setupTimeoutMs ?? 20 * 60_000,
      ...(launch ? { launch } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    if (r.exitCode !== 0)
      throw new EnvironmentInstallError(
        pm.installChanged,
        r.exitCode ?? null,
        `${r.stderr}\n${r.stdout}`.trim().slice(-2000),
      );
  }

  /** Hard-link mode: a prepared copy changed through a link is dropped, so the next attempt gets a clean one. */
  private async checkLinked(env: PreparedEnvironment): Promise<void> {
    const expected = this.fingerprints.get(env.key.id);
    if (expected === undefined || (await environmentFingerprint(env.tree, env.dirs)) === expected) return;
    this.options.log.warn(
      { key: env.key.id },
      'a command wrote into the prepared environment through a hard link: preparing it again',
    );
    this.prepared.delete(env.key.id);
    this.fingerprints.delete(env.key.id);
    await removeTree(dirname(env.tree));
  }
}

/** `git add -A` then the staged diff against `commit`: the changed paths, a double NUL, then the binary patch. */
async function worktreeDiff(dir: string, commit: string): Promise<{ diff: string; files: string[] }> {
  const out = await gitOutput(dir, 'git add + diff', [commit], {
    script:
      'git add -A\ngit diff --cached --name-only -z "$1" --\nprintf "\\0"\ngit diff --cached --binary --no-textconv --no-ext-diff "$1" --',
  });
  const cut = out.startsWith('\0') ? 0 : out.indexOf('\0\0') + 1;
  return { diff: out.slice(cut + 1), files: out.slice(0, cut).split('\0').filter(Boolean) };
}
