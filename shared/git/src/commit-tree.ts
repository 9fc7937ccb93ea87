import { BATON_IDENTITY } from './git-env.js';
import { runGit } from './run-git.js';

/** What commitTree writes. */
export interface CommitTreeInput {
  tree: string;
  parents: readonly string[];
  /** The whole message, trailers included. */
  message: string;
  /** Author and committer; default Baton's own, so no user config is needed. */
  identity?: { name: string; email: string };
}

/** Writes a commit object (unsigned) and returns its id; no ref moves. */
export async function commitTree(repo: string, input: CommitTreeInput): Promise<string> {
  const { name, email } = input.identity ?? BATON_IDENTITY;
  const out = await runGit(
    repo,
    ['commit-tree', '--no-gpg-sign', input.tree, ...input.parents.flatMap((p) => ['-p', p])],
    {
      input: input.message,
      env: { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email },
    },
  );
  return out.stdout.trim();
}
