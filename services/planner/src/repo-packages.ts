import { z } from 'zod';
import type { RepoFile } from './repo-files.js';
import { readRepoFiles } from './repo-files.js';
import { isUnder } from './scope-entry.js';

/** A folder with a package.json (`''` is the repository root). */
export interface RepoPackage {
  dir: string;
  name?: string;
  scripts: Record<string, string>;
  /** Folders of the workspace packages this one depends on (any dependency field). */
  workspaceDeps: string[];
}

/** The packages of a repository at a commit, and which package holds a path. */
export interface RepoPackages {
  /** Sorted by folder; empty when the repository has no package.json. */
  list: RepoPackage[];
  byDir: ReadonlyMap<string, RepoPackage>;
  /** The deepest package folder holding `path`; `''` (the root) when none does. */
  dirOf(path: string): string;
  /** The package manager the root's lockfile names. */
  manager: 'npm' | 'pnpm' | 'yarn';
}

/** The fields of package.json the planner reads (third-party file: only what we use, leniently). */
const Manifest = z.object({
  name: z.string().optional().catch(undefined),
  scripts: z.record(z.string(), z.string()).optional().catch(undefined),
  dependencies: z.record(z.string(), z.string()).optional().catch(undefined),
  devDependencies: z.record(z.string(), z.string()).optional().catch(undefined),
  peerDependencies: z.record(z.string(), z.string()).optional().catch(undefined),
});

/** Reads every tracked package.json (outside node_modules) at `commit`. */
export async function readRepoPackages(
  repoPath: string,
  commit: string,
  files: readonly RepoFile[],
): Promise<RepoPackages> {
  const manifests = files
    .map((f) => f.path)
    .filter((p) => (p === 'package.json' || p.endsWith('/package.json')) && !p.split('/').includes('node_modules'));
  const texts = await readRepoFiles(repoPath, commit, manifests);
  const parsed = manifests.map((path) => {
    const dir = path === 'package.json' ? '' : path.slice(0, -'/package.json'.length);
    return { dir, manifest: parseManifest(texts.get(path) ?? '') };
  });
  const dirByName = new Map(
    parsed.flatMap(({ dir, manifest }) => (manifest.name === undefined ? [] : [[manifest.name, dir] as const])),
  );
  const list: RepoPackage[] = parsed
    .map(({ dir, manifest }) => {
      const depNames = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].flatMap((d) =>
        Object.keys(d ?? {}),
      );
      const workspaceDeps = [...new Set(depNames.flatMap((n) => (dirByName.has(n) ? [dirByName.get(n)!] : [])))]
        .filter((d) => d !== dir)
        .sort();
      return {
        dir,
        ...(manifest.name === undefined ? {} : { name: manifest.name }),
        scripts: manifest.scripts ?? {},
        workspaceDeps,
      };
    })
    .sort((a, b) => (a.dir < b.dir ? -1 : 1));
  const byDir = new Map(list.map((p) => [p.dir, p]));
  const deepestFirst = [...list].map((p) => p.dir).sort((a, b) => b.length - a.length);
  const paths = new Set(files.map((f) => f.path));
  return {
    list,
    byDir,
    dirOf: (path) => deepestFirst.find((dir) => isUnder(path, dir)) ?? '',
    manager: paths.has('pnpm-lock.yaml') ? 'pnpm' : paths.has('yarn.lock') ? 'yarn' : 'npm',
  };
}

function parseManifest(text: string): z.infer<typeof Manifest> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (_err) {
    // a broken package.json still marks a package; it just has no scripts or dependencies we can read
    return {};
  }
  const result = Manifest.safeParse(json);
  return result.success ? result.data : {};
}
