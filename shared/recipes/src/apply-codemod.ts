import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodemodRecipe } from '@baton/protocol';
import { execa } from 'execa';
import { CodemodCommandError, CodemodModuleError } from './errors.js';
import { resolveInRepo, writeFileChanges, type FileChange } from './file-change.js';

/** A codemod module's default export: the new source of one file. */
export type CodemodTransform = (source: string, path: string) => string | Promise<string>;

/**
 * Runs a codemod module (its default export, per file) over `files` without writing.
 * `module` is absolute or relative to `root`; each transform gets the source and the repository-relative path.
 */
export async function transformWithModule(
  root: string,
  module: string,
  files: readonly string[],
): Promise<FileChange[]> {
  const transform = await loadTransform(root, module);
  const changes: FileChange[] = [];
  for (const file of files) {
    const before = await readFile(resolveInRepo(root, file), 'utf8');
    let after: unknown;
    try {
      after = await transform(before, file);
    } catch (error) {
      throw new CodemodModuleError(module, 'transform threw', file, { cause: error });
    }
    if (typeof after !== 'string')
      throw new CodemodModuleError(module, `transform returned ${typeof after}, not a string`, file);
    if (after !== before) changes.push({ path: file, before, after });
  }
  return changes;
}

/**
 * Applies a codemod recipe to one shard in place and returns the changed paths. A `module` codemod is imported and
 * run per file; a `command` codemod runs once through a shell in `root` with `{files}` replaced by the shard's
 * files, single-quoted. The caller (the worker) must have checked the command against the permission policy:
 * this function runs it as given. Only the shard's files are compared, so a command's other writes go unreported.
 */
export async function applyCodemod(root: string, recipe: CodemodRecipe, files: readonly string[]): Promise<string[]> {
  if (recipe.module !== undefined) return writeFileChanges(root, await transformWithModule(root, recipe.module, files));
  const command = recipe.command ?? '';
  const before = await Promise.all(files.map((f) => readFile(resolveInRepo(root, f), 'utf8')));
  const expanded = command.replaceAll('{files}', files.map(shellQuote).join(' '));
  const result = await execa(expanded, { shell: true, cwd: root, reject: false, stdin: 'ignore' });
  if (result.failed) throw new CodemodCommandError(expanded, result.exitCode, String(result.stderr), { cause: result });
  const after = await Promise.all(files.map((f) => readFile(resolveInRepo(root, f), 'utf8').catch(() => undefined)));
  return files.filter((_, i) => after[i] !== before[i]);
}

/** Quotes one argument for a POSIX shell. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

async function loadTransform(root: string, module: string): Promise<CodemodTransform> {
  const url = pathToFileURL(path.resolve(root, module)).href;
  let loaded: { default?: unknown };
  try {
    loaded = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new CodemodModuleError(module, 'cannot be imported', undefined, { cause: error });
  }
  const transform = loaded.default;
  if (typeof transform !== 'function') throw new CodemodModuleError(module, 'default export is not a function');
  return transform as CodemodTransform;
}
