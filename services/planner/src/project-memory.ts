import { MEMORY_FILES } from '@baton/protocol';
import { readRepoFiles, type RepoFile } from './repo-files.js';

/** Each memory file is cut here, so a huge one cannot crowd out the task. */
const MAX_CHARS_PER_FILE = 20_000;

/** Reads the project memory files that exist at `commit`, as markdown sections (`''` when there are none). */
export async function readProjectMemory(repoPath: string, commit: string, files: readonly RepoFile[]): Promise<string> {
  const present = new Set(files.map((f) => f.path));
  const paths = MEMORY_FILES.filter((p) => present.has(p));
  const texts = await readRepoFiles(repoPath, commit, paths);
  return paths
    .map((p) => {
      const text = texts.get(p) ?? '';
      const cut =
        text.length > MAX_CHARS_PER_FILE
          ? `${text.slice(0, MAX_CHARS_PER_FILE)}\n… (cut at ${MAX_CHARS_PER_FILE} characters)`
          : text;
      return `### ${p}\n\n${cut.trim()}`;
    })
    .join('\n\n');
}
