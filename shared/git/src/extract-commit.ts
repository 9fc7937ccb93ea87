import { execa } from 'execa';
import { GitError } from './errors.js';
import { gitEnv } from './git-env.js';

/** Writes the files of `commit` into the existing folder `dir` (`git archive | tar -x`): no `.git`, no index. */
export async function extractCommit(repo: string, commit: string, dir: string): Promise<void> {
  const step = `git archive ${commit} | tar -x`;
  // Streamed: a large repository's tar never sits in memory.
  const archive = execa('git', ['archive', '--format=tar', commit], {
    cwd: repo,
    env: gitEnv(),
    extendEnv: false,
    buffer: { stdout: false },
    reject: false,
    stdin: 'ignore',
  });
  const tar = execa('tar', ['-x', '-C', dir], { reject: false });
  archive.stdout.pipe(tar.stdin);
  const [a, t] = await Promise.all([archive, tar]);
  if (a.exitCode !== 0 || t.exitCode !== 0) {
    const failed = a.exitCode !== 0 ? a : t;
    throw new GitError(
      {
        step,
        args: ['archive', '--format=tar', commit],
        cwd: repo,
        exitCode: failed.exitCode,
        stderr: String(failed.stderr),
      },
      { cause: failed },
    );
  }
}
