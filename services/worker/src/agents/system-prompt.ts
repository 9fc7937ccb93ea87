import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { MEMORY_FILES, MemoryFile, type Subtask } from '@baton/protocol';

const TEMPLATE = readFileSync(new URL('./editor-prompt.md', import.meta.url), 'utf8');

/** The folders from the root down to each scope path's folder (root first). */
function scopeFolders(scope: readonly string[]): string[] {
  const folders = new Set<string>(['.']);
  for (const p of scope) {
    const literal = p.split('/').filter((seg) => !/[*?[\]{}]/.test(seg));
    let dir = posix.dirname(literal.join('/') || '.');
    const chain: string[] = [];
    while (dir !== '.' && dir !== '/' && dir !== '') {
      chain.unshift(dir);
      dir = posix.dirname(dir);
    }
    for (const d of chain) folders.add(d);
  }
  return [...folders];
}

/** Reads the project's memory files (`CLAUDE.md`, `AGENTS.md`, `.baton/memory.md`) from the root and the scope's folders, capped. */
async function readMemory(root: string, scope: readonly string[], maxChars = 40_000): Promise<string> {
  const parts: string[] = [];
  let total = 0;
  for (const folder of scopeFolders(scope)) {
    for (const name of MEMORY_FILES) {
      if (folder !== '.' && name === MemoryFile.baton) continue;
      const rel = folder === '.' ? name : `${folder}/${name}`;
      const text = await readFile(join(root, rel), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
        throw err;
      });
      if (text === null || total >= maxChars) continue;
      const body = text.slice(0, maxChars - total);
      total += body.length;
      parts.push(`## ${rel}\n\n${body.trim()}`);
    }
  }
  return parts.length === 0
    ? ''
    : `# Project conventions (from the repository's memory files)\n\n${parts.join('\n\n')}`;
}

/** The editor's system prompt: the template beside this file with the subtask, its scope and the project's memory. */
export async function editorSystemPrompt(root: string, subtask: Subtask): Promise<string> {
  const scope = subtask.scope.write ?? subtask.scope.paths;
  const describe = [
    `id: ${subtask.id}`,
    `title: ${subtask.title}`,
    `scope (you may write): ${scope.length > 0 ? scope.join(', ') : 'the whole repository'}`,
    '',
    subtask.instructions,
    subtask.context ? `\n## Context\n\n${subtask.context}` : '',
  ].join('\n');
  return TEMPLATE.replace('{{subtask}}', describe)
    .replace('{{scope}}', scope.length > 0 ? scope.join(', ') : 'the whole repository')
    .replace('{{memory}}', await readMemory(root, subtask.scope.paths));
}
