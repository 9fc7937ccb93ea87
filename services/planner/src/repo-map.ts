import type { RepoFile } from './repo-files.js';
import type { RepoPackages } from './repo-packages.js';
import { testCommandsFor } from './tester-subtasks.js';

/** Bounds of the map, so a 100k-file repository still fits a prompt. */
export interface RepoMapLimits {
  /** List every file when the repository has at most this many. Default 150. */
  listFilesUpTo: number;
  /** Lines of the folder tree. Default 150. */
  maxTreeLines: number;
  /** Depth of the folder tree. Default 4. */
  maxDepth: number;
  /** Packages listed. Default 60. */
  maxPackages: number;
}

const DEFAULT_LIMITS: RepoMapLimits = { listFilesUpTo: 150, maxTreeLines: 150, maxDepth: 4, maxPackages: 60 };

interface Folder {
  files: number;
  bytes: number;
  children: Map<string, Folder>;
}

/**
 * A compact markdown map of a repository for the planner's prompt: size, languages by extension,
 * the folder tree with file counts and sizes (every file when the repository is small), the packages
 * with their scripts and workspace dependencies, and the test commands found.
 */
export function renderRepoMap(
  files: readonly RepoFile[],
  packages: RepoPackages,
  limits: Partial<RepoMapLimits> = {},
): string {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const total = files.reduce((n, f) => n + f.size, 0);
  const out = [`${files.length} files, ${size(total)}.`, '', '### Languages (by extension)', ...languages(files), ''];
  if (files.length <= l.listFilesUpTo) {
    out.push('### Files', ...files.map((f) => `- ${f.path} (${size(f.size)})`));
  } else {
    out.push('### Folders (files, size)', ...tree(files, l));
  }
  out.push('', '### Packages');
  if (packages.list.length === 0) out.push('(no package.json)');
  for (const p of packages.list.slice(0, l.maxPackages)) {
    const scripts = Object.entries(p.scripts).map(([k, v]) => `${k}=\`${v.slice(0, 120)}\``);
    const deps = p.workspaceDeps.length > 0 ? `; depends on ${p.workspaceDeps.map((d) => d || '.').join(', ')}` : '';
    out.push(
      `- ${p.dir || '.'}${p.name === undefined ? '' : ` (${p.name})`}: ${scripts.length > 0 ? `scripts ${scripts.join(', ')}` : 'no scripts'}${deps}`,
    );
  }
  if (packages.list.length > l.maxPackages) out.push(`- … and ${packages.list.length - l.maxPackages} more packages`);
  const commands = packages.list.flatMap((p) => testCommandsFor(p.dir, p, packages.manager) ?? []);
  out.push(
    '',
    '### Test commands found',
    ...(commands.length > 0 ? commands.slice(0, 40).map((c) => `- \`${c}\``) : ['(none detected)']),
  );
  return out.join('\n');
}

function languages(files: readonly RepoFile[]): string[] {
  const byExt = new Map<string, { files: number; bytes: number }>();
  for (const f of files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const ext = name.includes('.', 1) ? name.slice(name.lastIndexOf('.')) : '(none)';
    const e = byExt.get(ext) ?? { files: 0, bytes: 0 };
    e.files++;
    e.bytes += f.size;
    byExt.set(ext, e);
  }
  const sorted = [...byExt.entries()].sort(([, a], [, b]) => b.files - a.files);
  return sorted
    .slice(0, 12)
    .map(([ext, e]) => `- ${ext}: ${e.files} files, ${size(e.bytes)}`)
    .concat(sorted.length > 12 ? [`- … ${sorted.length - 12} more extensions`] : []);
}

function tree(files: readonly RepoFile[], l: RepoMapLimits): string[] {
  const root: Folder = { files: 0, bytes: 0, children: new Map() };
  for (const f of files) {
    let at = root;
    at.files++;
    at.bytes += f.size;
    for (const segment of f.path.split('/').slice(0, -1)) {
      let next = at.children.get(segment);
      if (next === undefined) at.children.set(segment, (next = { files: 0, bytes: 0, children: new Map() }));
      next.files++;
      next.bytes += f.size;
      at = next;
    }
  }
  const lines: string[] = [];
  const walk = (folder: Folder, prefix: string, depth: number): void => {
    const children = [...folder.children.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [i, [name, child]] of children.entries()) {
      if (lines.length >= l.maxTreeLines) {
        const rest = children.slice(i);
        lines.push(
          `${'  '.repeat(depth)}- … ${rest.length} more folders (${rest.reduce((n, [, c]) => n + c.files, 0)} files)`,
        );
        return;
      }
      lines.push(`${'  '.repeat(depth)}- ${prefix}${name}/ (${child.files} files, ${size(child.bytes)})`);
      if (depth + 1 < l.maxDepth) walk(child, '', depth + 1);
    }
  };
  walk(root, '', 0);
  const atRoot = files.filter((f) => !f.path.includes('/'));
  if (atRoot.length > 0)
    lines.push(
      `- (root files: ${atRoot
        .slice(0, 20)
        .map((f) => f.path)
        .join(', ')}${atRoot.length > 20 ? ', …' : ''})`,
    );
  return lines;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
