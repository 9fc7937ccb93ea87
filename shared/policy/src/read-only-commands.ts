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
  'read',
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
  if (PLAIN.has(name)) return true;
  if (name === 'sort') return !args.some((a) => a === '-o' || a.startsWith('--output') || /^-[a-z]*o/.test(a));
  if (name === 'uniq') return args.filter((a) => !a.startsWith('-')).length <= 1;
  if (name === 'find') return !args.some((a) => FIND_WRITES.has(a));
  if (VERSIONED.has(name) && args.length === 1 && args[0] === '--version') return true;
  if (name === 'git') return isReadOnlyGit(args);
  return false;
}

function isReadOnlyGit(args: string[]): boolean {
  let i = 0;
  while (i < args.length && (args[i] ?? '').startsWith('-')) {
    // `-c key=value` can set aliases, pagers or hooks that run programs.
    if (args[i] === '-c' || (args[i] ?? '').startsWith('--exec-path') || (args[i] ?? '').startsWith('--config-env'))
      return false;
    i += args[i] === '-C' ? 2 : 1;
  }
  const sub = args[i];
  if (sub === undefined || !GIT_READ.has(sub)) return false;
  return !args.slice(i + 1).some((a) => a.startsWith('--output') || a === '--ext-diff' || a.startsWith('--textconv'));
}
