import { runCommand } from '@baton/tools';

/** The package managers Baton detects from a lockfile. */
export const PackageManagerName = { npm: 'npm', pnpm: 'pnpm', yarn: 'yarn', bun: 'bun' } as const;
/** A package manager Baton detects from a lockfile. */
export type PackageManagerName = (typeof PackageManagerName)[keyof typeof PackageManagerName];

/** A detected package manager: its lockfile and its install commands. */
export interface PackageManager {
  name: PackageManagerName;
  lockfile: string;
  /** Installs exactly what the lockfile says (the prepared environment). */
  install: string;
  /** Installs from manifests a subtask changed, updating the lockfile when it must. */
  installChanged: string;
}

/** Lockfiles at a repository's root, in the order detection tries them; the default environment key. */
export const LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
] as const;

/**
 * The package manager a repository uses, from the lockfiles among its root's `files` (`package-lock.json` -> npm,
 * `pnpm-lock.yaml` -> pnpm, `yarn.lock` -> yarn, `bun.lock*` -> bun); undefined when it has none.
 */
export function detectPackageManager(files: readonly string[]): PackageManager | undefined {
  const has = (f: string) => files.includes(f);
  const lockfile = LOCKFILES.find(has);
  switch (lockfile) {
    case undefined:
      return undefined;
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return { name: 'npm', lockfile, install: 'npm ci', installChanged: 'npm install' };
    case 'pnpm-lock.yaml':
      return {
        name: 'pnpm',
        lockfile,
        install: 'pnpm install --frozen-lockfile',
        installChanged: 'pnpm install --no-frozen-lockfile',
      };
    case 'yarn.lock':
      // Yarn 2+ (a `.yarnrc.yml`) renamed --frozen-lockfile to --immutable.
      return {
        name: 'yarn',
        lockfile,
        install: has('.yarnrc.yml') ? 'yarn install --immutable' : 'yarn install --frozen-lockfile',
        installChanged: 'yarn install',
      };
    default:
      return { name: 'bun', lockfile, install: 'bun install --frozen-lockfile', installChanged: 'bun install' };
  }
}

/** How a package manager's command starts on this machine: itself, or through corepack. */
export type PackageManagerLaunch = { via: 'path' | 'corepack'; prefix: string } | { via: 'missing'; reason: string };

/**
 * Finds how to run `name` with the environment user commands get (Baton's own `.bin` is not on that PATH): the
 * program on PATH, else `corepack <name>` when corepack can provide it (it may download it), else missing with why.
 */
export async function findPackageManager(
  name: PackageManagerName,
  cwd: string,
  signal?: AbortSignal,
): Promise<PackageManagerLaunch> {
  const opts = { cwd, timeoutMs: 120_000, ...(signal ? { signal } : {}) };
  const onPath = await runCommand(`command -v ${name}`, opts);
  if (onPath.exitCode === 0) return { via: 'path', prefix: name };
  const viaCorepack = await runCommand(`corepack ${name} --version`, opts);
  if (viaCorepack.exitCode === 0) return { via: 'corepack', prefix: `corepack ${name}` };
  const why = (viaCorepack.stderr || viaCorepack.stdout || viaCorepack.failure || '').trim().split('\n').slice(-3);
  return {
    via: 'missing',
    reason: `${name} is not installed and corepack could not provide it${why.length > 0 && why[0] ? `: ${why.join(' ')}` : ''}`,
  };
}
