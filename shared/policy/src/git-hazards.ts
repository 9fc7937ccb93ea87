import type { Verdict } from '@baton/protocol';
import { hasShortFlag } from './long-option.js';
import { normalizeRepoPath } from './path-pattern.js';
import type { GitInvocation } from './git-invocation.js';

/** A finding of the git checks on one invocation. */
export interface GitFinding {
  verdict: Exclude<Verdict, 'allow'>;
  kind: 'runs-program' | 'force-push' | 'history-rewrite' | 'config-write' | 'other-repository';
  reason: string;
}

/** Config keys whose value is a program git runs, a place it loads code or hooks from, or a redirection of remotes. */
const PROGRAM_KEYS =
  /^(?:core\.(?:hookspath|pager|editor|sshcommand|fsmonitor|gitproxy|askpass|worktree|attributesfile|excludesfile)|alias\..*|.*\.(?:command|cmd|textconv|helper|program|path|tool)|diff\.external|filter\..*|merge\..*\.driver|sequence\.editor|credential\..*|gpg\..*|include\..*|includeif\..*|uploadpack\..*|receivepack\..*|remote\..*\.(?:uploadpack|receivepack|url|pushurl|proxy)|url\..*|protocol\..*|pager\..*|web\.browser|browser\..*|http\..*|safe\.directory)$/i;

/** Where a git option names a program: subcommand -> options (long in full, short as the letter) that run one. */
const PROGRAM_OPTIONS: Record<string, { long: string[]; short: string }> = {
  push: { long: ['receive-pack', 'exec'], short: '' },
  pull: { long: ['upload-pack'], short: '' },
  fetch: { long: ['upload-pack'], short: '' },
  clone: { long: ['upload-pack', 'config', 'template'], short: 'uc' },
  'ls-remote': { long: ['upload-pack'], short: '' },
  archive: { long: ['exec', 'remote'], short: '' },
  grep: { long: ['open-files-in-pager'], short: 'O' },
  rebase: { long: ['exec'], short: 'x' },
  difftool: { long: ['extcmd', 'tool'], short: 'xt' },
  mergetool: { long: ['tool'], short: 't' },
  diff: { long: ['ext-diff'], short: '' },
  log: { long: ['ext-diff'], short: '' },
  show: { long: ['ext-diff'], short: '' },
};

/**
 * What a git invocation does that the rules alone cannot see: options that run programs (`-c core.pager=...`,
 * `--upload-pack`, `grep -O`, `ext::` remotes), another repository (`--git-dir`, `--work-tree`, `-C` outside),
 * force pushes (`--force*`, `--mirror`, `+refspec`, `-f` in a cluster) and history rewrites (rebase, amend,
 * update-ref, `branch -f/-D`, `checkout -B`, `switch -C`, `reset --hard/--keep/--merge/--soft` or to a commit, ...).
 */
export function gitFindings(inv: GitInvocation): GitFinding[] {
  const out: GitFinding[] = [];
  const add = (verdict: GitFinding['verdict'], kind: GitFinding['kind'], reason: string): void =>
    void out.push({ verdict, kind, reason });
  for (const g of inv.globals) {
    if (g.name === '-c' || g.name === '--config-env' || g.name === '--exec-path')
      add('ask', 'runs-program', `git ${g.name} can make git run any program`);
    else if (g.name === '--git-dir' || g.name === '--work-tree' || g.name === '--super-prefix' || g.name === '--bare')
      add('ask', 'other-repository', `git ${g.name} points git at another repository or folder`);
    else if (
      g.name === '-C' &&
      (g.value === undefined || normalizeRepoPath(g.value) === undefined || g.value.includes('$'))
    )
      add('ask', 'other-repository', `git -C ${g.value ?? ''} runs git in a folder that may be outside the worktree`);
  }
  const sub = inv.sub ?? '';
  const args = inv.args;
  const options = PROGRAM_OPTIONS[sub];
  if (options !== undefined) {
    const hit = args.find(
      (a) =>
        options.long.some((l) => a === `--${l}` || a.startsWith(`--${l}=`)) ||
        [...options.short].some((ch) => hasShortFlag(a, ch)),
    );
    if (hit !== undefined) add('ask', 'runs-program', `git ${sub} ${hit} runs a program named in its arguments`);
  }
  if (args.some((a) => /^(?:ext|fd)::/i.test(a) || /^-?-?[a-z-]*=?ext::/i.test(a)))
    add('ask', 'runs-program', 'an ext:: remote runs a command');
  if (sub === 'submodule' && args.includes('foreach'))
    add('ask', 'runs-program', 'git submodule foreach runs a command');
  if (sub === 'bisect' && args[0] === 'run') add('ask', 'runs-program', 'git bisect run runs a command');
  if (sub === 'config') configFindings(args, add);
  if (sub === 'remote' && ['add', 'set-url', 'rename', 'set-head'].includes(args[0] ?? ''))
    add('ask', 'config-write', `git remote ${args[0] ?? ''} changes the repository's configuration`);
  if (sub === 'push') pushFindings(args, add);
  historyFindings(sub, args, add);
  return out;
}

type Add = (verdict: GitFinding['verdict'], kind: GitFinding['kind'], reason: string) => void;

function configFindings(args: readonly string[], add: Add): void {
  const reading = args.some((a) =>
    ['--get', '--get-all', '--get-regexp', '--list', '-l', '--get-urlmatch', '--show-origin', '--name-only'].includes(
      a,
    ),
  );
  const words = args.filter((a) => !a.startsWith('-'));
  if (words[0] === 'get' || words[0] === 'list') return;
  if (reading || (words.length <= 1 && !args.some((a) => a.startsWith('--unset') || a.startsWith('--remove')))) return;
  const key = words[0] === 'set' || words[0] === 'unset' ? words[1] : words[0];
  if (key !== undefined && PROGRAM_KEYS.test(key))
    add('deny', 'config-write', `git config ${key} makes git run a program or load code from elsewhere`);
  else add('ask', 'config-write', "git config writes the repository's configuration");
}

function pushFindings(args: readonly string[], add: Add): void {
  const force = args.find(
    (a) =>
      ['--force', '--mirror'].includes(a) ||
      a.startsWith('--force-with-lease') ||
      a.startsWith('--force-if-includes') ||
      hasShortFlag(a, 'f', 'o'),
  );
  if (force !== undefined) return add('deny', 'force-push', `git push ${force} overwrites the remote's history`);
  const operands = args.filter((a) => !a.startsWith('-'));
  const plus = operands.find((a) => a.startsWith('+'));
  if (plus !== undefined) return add('deny', 'force-push', `the refspec ${plus} force-pushes`);
  const deletion = args.find((a) => a === '--delete' || a === '--prune' || hasShortFlag(a, 'd', 'o'));
  const colon = operands.slice(1).find((a) => a.startsWith(':'));
  if (deletion !== undefined || colon !== undefined)
    add('ask', 'force-push', `git push ${deletion ?? colon ?? ''} deletes branches on the remote`);
}

const COMMITTISH = /(?:[~^]\d*)+$|@\{|^[0-9a-f]{7,40}$|^(?:origin|upstream)\//;

function historyFindings(sub: string, args: readonly string[], add: Add): void {
  const rewrite = (what: string): void => add('deny', 'history-rewrite', `${what} rewrites history`);
  const has = (...names: string[]): string | undefined => args.find((a) => names.includes(a.split('=')[0] ?? a));
  switch (sub) {
    case 'rebase':
    case 'filter-branch':
    case 'filter-repo':
    case 'update-ref':
    case 'replace':
      return rewrite(`git ${sub}`);
    case 'commit':
      if (has('--amend') !== undefined) rewrite('git commit --amend');
      return;
    case 'reset': {
      const mode = has('--hard', '--keep', '--merge', '--soft');
      if (mode !== undefined) return rewrite(`git reset ${mode}`);
      const end = args.indexOf('--');
      const target = (end === -1 ? args : args.slice(0, end)).find((a) => !a.startsWith('-'));
      if (target !== undefined && target !== 'HEAD' && target !== '@' && COMMITTISH.test(target))
        rewrite(`git reset ${target} (moves the branch)`);
      return;
    }
    case 'branch': {
      const flag =
        has('--force', '--move', '--copy') ??
        args.find(
          (a) => ['f', 'D', 'M', 'C'].some((ch) => hasShortFlag(a, ch)) || (a === '--delete' && has('--force')),
        );
      if (flag !== undefined) rewrite(`git branch ${flag}`);
      return;
    }
    case 'checkout': {
      const flag = args.find((a) => hasShortFlag(a, 'B', 'b'));
      if (flag !== undefined) rewrite(`git checkout ${flag}`);
      return;
    }
    case 'switch': {
      const flag = has('--force-create') ?? args.find((a) => hasShortFlag(a, 'C', 'c'));
      if (flag !== undefined) rewrite(`git switch ${flag}`);
      return;
    }
    case 'pull': {
      const flag = args.find(
        (a) => a === '--rebase' || (a.startsWith('--rebase=') && a !== '--rebase=false') || hasShortFlag(a, 'r'),
      );
      if (flag !== undefined) rewrite(`git pull ${flag}`);
      return;
    }
    case 'reflog':
      if (args[0] === 'expire' || args[0] === 'delete') rewrite(`git reflog ${args[0]}`);
      return;
    case 'symbolic-ref':
      if (args.filter((a) => !a.startsWith('-')).length >= 2 || has('--delete', '-d') !== undefined)
        rewrite('git symbolic-ref (moving a ref)');
      return;
    case 'tag':
      if (has('--force', '--delete') !== undefined || args.some((a) => hasShortFlag(a, 'f') || hasShortFlag(a, 'd')))
        add('ask', 'history-rewrite', 'git tag -f/-d moves or deletes a tag');
      return;
  }
}
