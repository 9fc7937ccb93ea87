import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '@baton/git';

/** Runs git in `cwd` and returns its trimmed stdout. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await runGit(cwd, ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
  return stdout.trim();
}

/** What a user would check to see that Baton left their checkout alone. */
export async function checkoutState(cwd: string): Promise<{ branch: string; head: string; status: string }> {
  return {
    branch: await git(cwd, ['symbolic-ref', 'HEAD']),
    head: await git(cwd, ['rev-parse', 'HEAD']),
    status: await git(cwd, ['status', '--porcelain', '--untracked-files=all']),
  };
}

/** A one-commit repository on `main` with `src/purry.ts` (declares `purry`) and `src/use.ts` (uses it). */
export async function tinyRepo(dir: string): Promise<string> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'src', 'purry.ts'), 'export function purry(n: number): number {\n  return n + 1;\n}\n');
  await writeFile(join(dir, 'src', 'use.ts'), "import { purry } from './purry.js';\n\nexport const two = purry(1);\n");
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'tiny']);
  return dir;
}
