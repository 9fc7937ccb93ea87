import { readGit } from './git-invocation.js';
import { hasShortFlag, isLongOption } from './long-option.js';
import type { SimpleCommand } from './split-command.js';

const PLAIN = new Set([
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'pwd',
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'which',
  'type',
  'file',
  'stat',
  'du',
  'df',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'diff',
  'cmp',
  'tree',
  'date',
  'whoami',
  'id',
  'uname',
  'printenv',
  'test',
  '[',
  '[[',
  '((',
  'cut',
  'tr',
  'nl',
  'cd',
  'pushd',
  'popd',
  'jq',
]);
const GIT_READ = new Set([
  'status',
  'diff',
  'log',
  'show',
  'grep',
  'ls-files',
  'ls-tree',
  'rev-parse',
  'blame',
  'describe',
  'shortlog',
  'cat-file',
]);
const VERSIONED = new Set([
  'node',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'python',
  'python3',
  'git',
  'tsc',
  'go',
  'cargo',
  'rustc',
  'java',
  'deno',
  'bun',
]);
const FIND_WRITES = new Set(['-delete', '-fprint', '-fprint0', '-fprintf', '-fls']);

/**
 * Whether a part is on the small built-in list of commands that only read (ls, cat, grep, rg, find without
 * -delete, git status/diff/log/show/grep/ls-files, pwd, echo, `node --version`, ...). Such parts are allowed
 * when no rule matches them. Redirections are judged separately as writes. `find -exec CMD` counts as read-only
 * because CMD is a part of its own.
 */
export function isReadOnlyCommand(part: SimpleCommand): boolean {
  const [name, ...args] = part.argv;
  if (name === undefined) return true;
  if (part.dynamicArgs.includes(0)) return false;
  const opts = args.filter((a) => a.startsWith('-'));
  // Options that write a file, set the clock or run a program make a reading command something else.
  if (name === 'tree') return !opts.some((a) => hasShortFlag(a, 'o'));
  if (name === 'date') return !opts.some((a) => hasShortFlag(a, 's') || isLongOption(a, 'set', 2));
  if (name === 'printf') return !opts.some((a) => hasShortFlag(a, 'v'));
  if (PLAIN.has(name)) return true;
  if (name === 'sort')
    return !opts.some(
      (a) => hasShortFlag(a, 'o', 'kStT') || isLongOption(a, 'output', 3) || isLongOption(a, 'compress-program', 4),
    );
  if (name === 'uniq') return args.filter((a) => !a.startsWith('-')).length <= 1;
  if (name === 'find') return !args.some((a) => FIND_WRITES.has(a));
  if (VERSIONED.has(name) && args.length === 1 && args[0] === '--version') return true;
  if (name === 'git') return isReadOnlyGit(part.argv);
  return false;
}

function isReadOnlyGit(argv: readonly string[]): boolean {
  const inv = readGit(argv);
  // `-c key=value` can set aliases, pagers or hooks that run programs; the others point git elsewhere.
  if (inv.globals.some((g) => ['-c', '--exec-path', '--config-env', '--git-dir', '--work-tree'].includes(g.name)))
    return false;
  if (inv.sub === undefined || !GIT_READ.has(inv.sub)) return false;
  return !inv.args.some(
    (a) =>
      isLongOption(a, 'output', 3) ||
      a === '--ext-diff' ||
      a.startsWith('--textconv') ||
      isLongOption(a, 'open-files-in-pager', 3) ||
      (inv.sub === 'grep' && hasShortFlag(a, 'O')),
  );
}
