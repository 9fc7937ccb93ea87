/** A `git` command line read the way git reads it: global options apart, the subcommand, its arguments. */
export interface GitInvocation {
  /** Global options before the subcommand, each with its value (`-C dir` -> `{ name: '-C', value: 'dir' }`). */
  globals: { name: string; value?: string }[];
  sub?: string;
  /** Argument words after the subcommand, long options written out in full where git would accept the abbreviation. */
  args: string[];
}

/** Global options that take the next word as their value (git accepts no abbreviation of these). */
const VALUED_GLOBALS = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--super-prefix',
]);

/**
 * Long options of subcommands that matter to the policy. git's parse-options accepts any unambiguous prefix
 * (`reset --har`, `commit --am`, `push --mirro`); a prefix of several is taken as the first, which errs on the
 * side of the danger since git itself would refuse the ambiguous one.
 */
const LONG_OPTIONS: Record<string, readonly string[]> = {
  push: ['force', 'force-with-lease', 'force-if-includes', 'mirror', 'delete', 'prune', 'receive-pack', 'exec', 'all'],
  reset: ['hard', 'keep', 'merge', 'soft', 'mixed'],
  commit: ['amend', 'all'],
  branch: ['force', 'delete', 'move', 'copy'],
  checkout: ['force', 'orphan'],
  switch: ['force-create', 'orphan'],
  clean: ['force'],
  pull: ['rebase', 'force', 'upload-pack'],
  fetch: ['upload-pack', 'force'],
  clone: ['upload-pack', 'config', 'template'],
  'ls-remote': ['upload-pack'],
  archive: ['exec', 'remote', 'output'],
  grep: ['open-files-in-pager'],
  diff: ['output', 'ext-diff'],
  log: ['output', 'ext-diff'],
  show: ['output', 'ext-diff'],
  'format-patch': ['output-directory'],
  rebase: ['exec'],
  difftool: ['extcmd', 'tool'],
  mergetool: ['tool'],
  tag: ['force', 'delete'],
  config: [
    'get',
    'get-all',
    'get-regexp',
    'list',
    'unset',
    'unset-all',
    'add',
    'replace-all',
    'global',
    'system',
    'file',
  ],
};

/**
 * Reads a git argv (`argv[0]` is `git`): separates global options, expands abbreviated long options of the
 * subcommand, so rules and checks see `git push --force` however it was spelled.
 * @example readGit(['git', '-C', 'sub', 'reset', '--har']) // { globals: [{ name: '-C', value: 'sub' }], sub: 'reset', args: ['--hard'] }
 */
export function readGit(argv: readonly string[]): GitInvocation {
  const globals: GitInvocation['globals'] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('-')) break;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) globals.push({ name: a.slice(0, eq), value: a.slice(eq + 1) });
    else if (VALUED_GLOBALS.has(a)) {
      const value = argv[i + 1];
      globals.push(value === undefined ? { name: a } : { name: a, value });
      i++;
    } else globals.push({ name: a });
  }
  const sub = argv[i];
  const known = sub === undefined ? undefined : LONG_OPTIONS[sub];
  const rest = argv.slice(i + 1);
  const end = rest.indexOf('--');
  // After `--` every word is a path, never an option.
  const args = rest.map((a, j) => (known === undefined || (end !== -1 && j > end) ? a : expandLong(a, known)));
  return sub === undefined ? { globals, args } : { globals, sub, args };
}

/** The argv as git runs it: `git <sub> <args>` with global options left out and long options in full. */
export function canonicalGitArgv(inv: GitInvocation): string[] {
  return inv.sub === undefined ? ['git'] : ['git', inv.sub, ...inv.args];
}

function expandLong(arg: string, known: readonly string[]): string {
  if (!arg.startsWith('--') || arg === '--') return arg;
  const eq = arg.indexOf('=');
  const given = arg.slice(2, eq === -1 ? undefined : eq);
  if (known.includes(given)) return arg;
  const match = known.find((k) => k.startsWith(given));
  return match === undefined ? arg : `--${match}${eq === -1 ? '' : arg.slice(eq)}`;
}
