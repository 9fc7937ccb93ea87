import { readGit } from './git-invocation.js';
import type { SimpleCommand } from './split-command.js';

/** A file a part reads: from `<` redirections and the operands of commands that print or search files. */
export interface ReadTarget {
  path: string;
  dynamic: boolean;
}

/** Commands whose operands are all files they read. */
const FILE_READERS = new Set([
  'cat',
  'tac',
  'head',
  'tail',
  'wc',
  'nl',
  'less',
  'more',
  'cut',
  'diff',
  'cmp',
  'sort',
  'uniq',
  'base64',
  'xxd',
  'od',
  'hexdump',
  'strings',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'file',
  'tee',
  'paste',
  'fold',
  'fmt',
  'column',
  'comm',
  'join',
  'iconv',
  'source',
  '.',
  'zcat',
  'bzcat',
  'xzcat',
  'gunzip',
  'zless',
  'view',
]);
/** Commands whose first operand is a pattern or program, the rest files. */
const PATTERN_READERS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'jq', 'awk', 'gawk', 'mawk', 'sed', 'ag', 'ack']);
/** Short options that take a value in the next word, per reader (the value is not a file it reads). */
const VALUED: Record<string, string> = {
  head: 'nc',
  tail: 'nc',
  cut: 'dfbc',
  sort: 'ktSTo',
  grep: 'mABCdD',
  egrep: 'mABCdD',
  fgrep: 'mABCdD',
  rg: 'mABCgtTMj',
  diff: 'UCFLIX',
  awk: 'vF',
  gawk: 'vF',
  mawk: 'vF',
  uniq: 'fsw',
  xxd: 'cglos',
  od: 'AjNtw',
  nl: 'bdfhilnsvw',
  fold: 'w',
  fmt: 'w',
  column: 'cst',
  join: 'ajoet',
  iconv: 'ft',
};
/** Options that name the pattern/program, so no operand is one (`grep -e x file`, `sed -f s file`). */
const PATTERN_OPTIONS = new Set(['-e', '-f', '--regexp', '--file', '--expression']);
const GIT_PATH_SUBS = new Set(['show', 'log', 'diff', 'blame', 'grep', 'cat-file', 'shortlog', 'annotate', 'archive']);

/** The files a part reads, for Read rules (`cat`, `grep`, `git show HEAD:<path>`, `< file`, ...). */
export function readTargets(part: SimpleCommand): ReadTarget[] {
  const out: ReadTarget[] = [];
  for (const r of part.redirects) if (/^\d*(<|<>)$/.test(r.op)) out.push({ path: r.target, dynamic: r.dynamic });
  const [name = '', ...args] = part.argv;
  const offset = 1;
  if (name === 'git') return [...out, ...gitReads(part)];
  if (!FILE_READERS.has(name) && !PATTERN_READERS.has(name)) return out;
  const valued = VALUED[name] ?? '';
  let patternGiven = !PATTERN_READERS.has(name);
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const dynamic = part.dynamicArgs.includes(i + offset);
    if (!onlyOperands && a === '--') onlyOperands = true;
    else if (!onlyOperands && a.startsWith('-') && a !== '-') {
      if (PATTERN_OPTIONS.has(a) || /^--(?:regexp|file|expression)=/.test(a)) patternGiven = true;
      if (a === '-f' || a === '--file') {
        // A pattern or script file is read too.
        const v = args[i + 1];
        if (v !== undefined) out.push({ path: v, dynamic: part.dynamicArgs.includes(i + 1 + offset) });
        i++;
      } else if (a === '-e' || a === '--regexp' || a === '--expression') i++;
      else if (/^-[A-Za-z]$/.test(a) && valued.includes(a.slice(1))) i++;
      else if (name === 'jq' && ['--arg', '--argjson'].includes(a)) i += 2;
      else if (name === 'jq' && ['--slurpfile', '--rawfile'].includes(a)) {
        const v = args[i + 2];
        if (v !== undefined) out.push({ path: v, dynamic: part.dynamicArgs.includes(i + 2 + offset) });
        i += 2;
      }
    } else if (!patternGiven) patternGiven = true;
    else if (a !== '-') out.push({ path: a, dynamic });
  }
  return out;
}

/** `git show REV:path`, `git cat-file -p REV:path`, and the paths of log/diff/blame/grep. */
function gitReads(part: SimpleCommand): ReadTarget[] {
  const inv = readGit(part.argv);
  if (inv.sub === undefined || !GIT_PATH_SUBS.has(inv.sub)) return [];
  const dynamic = part.dynamic;
  const out: ReadTarget[] = [];
  const end = inv.args.indexOf('--');
  inv.args.forEach((a, j) => {
    if (end !== -1 && j > end) return void out.push({ path: a, dynamic });
    if (a.startsWith('-')) return;
    const colon = a.indexOf(':');
    // `REV:path` reads path from history; `:path` and `:0:path` from the index.
    if (colon !== -1) return void out.push({ path: a.slice(a.lastIndexOf(':') + 1), dynamic });
    // A bare word may be a revision or a path; as a path it must be judged.
    if (!/^(?:HEAD|@|ORIG_HEAD|FETCH_HEAD)(?:[~^@].*)?$|^[0-9a-f]{7,40}$|\.\./.test(a)) out.push({ path: a, dynamic });
  });
  return out.filter((t) => t.path !== '');
}
