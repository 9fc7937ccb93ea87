/** Baton's identity on every commit it writes, so the user's git config is never required. */
export const BATON_IDENTITY = { name: 'Baton', email: 'baton@localhost' } as const;

/**
 * Config every git Baton starts runs with, at the command-line level (through `GIT_CONFIG_COUNT`, git >= 2.31), which
 * wins over the system, global and repository files and reaches every git of a script and every git that git starts.
 * What it switches off runs a program as a side effect, which Baton never wants, whoever wrote the setting (a
 * repository's own `.git/config` included):
 */
export const SAFE_GIT_CONFIG: Readonly<Record<string, string>> = {
  // A file-system monitor is a program git runs on status, add, diff, checkout and read-tree.
  'core.fsmonitor': 'false',
  // No hooks, neither `.git/hooks` nor a configured folder: a merge into a private index must not fire the user's
  // post-index-change hook, a worker's clone must not run post-checkout.
  'core.hooksPath': '/dev/null',
  // Output is piped, so git starts no pager; should a terminal ever be attached, it still does not (GIT_PAGER too).
  'core.pager': 'cat',
  // Baton never asks a human through an editor; `:` accepts whatever message git prepared.
  'core.editor': ':',
  // Transports: local paths and bundle files only (clone --shared, snapshot fetches). `ext::` runs a command and
  // ssh, http or git:// would run helpers (ssh command, credential helpers, proxies); Baton fetches from none of them.
  'protocol.allow': 'never',
  'protocol.file.allow': 'always',
  // Signing runs gpg (or ssh-keygen) with the user's keys; Baton's commits are unsigned (commit-tree --no-gpg-sign).
  'commit.gpgSign': 'false',
  'tag.gpgSign': 'false',
};

/** How the environment of one git process is built. */
export interface GitEnvOptions {
  /** Variables for this command (e.g. `GIT_INDEX_FILE`, an identity); they cannot override the safety settings. */
  env?: Readonly<Record<string, string>>;
  /**
   * Whether the system and global config files are read; default true. They are the user's and the machine's, not
   * a repository's, and hold decisions Baton must honour to see a repository the way git does for its owner:
   * `safe.directory` (a repository on a volume owned by another uid), line endings (`core.autocrlf`), filters that
   * define file content (`filter.lfs.*`). Pass false for repositories only Baton writes (the snapshot mirror), where
   * nothing from the machine applies and `git init` should not copy a template directory.
   */
  userConfig?: boolean;
  /**
   * Keep the caller's locale instead of `LC_ALL=C`; default false. C gives stable, English messages in errors and
   * logs; a text search (`git grep -i`, regexes over UTF-8) needs the caller's character type.
   */
  keepLocale?: boolean;
}

/**
 * The environment of one git process: the caller's, minus every `GIT_*` variable, plus the safety settings.
 * The caller's `GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE` (set in any git hook), `GIT_OBJECT_DIRECTORY`,
 * `GIT_CONFIG_PARAMETERS`, `GIT_EXTERNAL_DIFF`, `GIT_SSH_COMMAND`, `GIT_AUTHOR_*`… must never point Baton at the
 * user's index or repository, run a program, or put a name on Baton's commits.
 */
export function gitEnv(options: GitEnvOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  if (!options.keepLocale) env.LC_ALL = 'C';
  // Passed explicitly, a GIT_* variable is the caller's own choice (an index file, an identity)...
  Object.assign(env, options.env);
  const config = Object.entries(SAFE_GIT_CONFIG);
  Object.assign(env, {
    // ...but never one that undoes the rest of this function.
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    // `git status` refreshes the index and writes it when it can: on the user's repository that would take
    // index.lock under the user's own git. Baton never writes the user's index.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CONFIG_COUNT: String(config.length),
  });
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  if (options.userConfig === false) {
    env.GIT_CONFIG_NOSYSTEM = '1';
    env.GIT_CONFIG_GLOBAL = '/dev/null';
  }
  return env;
}

/** Subcommands that can run an external diff driver (`diff.external`, `diff.<driver>.command`) or a textconv filter. */
const DIFFING = new Set(['diff', 'log', 'show', 'whatchanged']);

/**
 * `args` with `--no-ext-diff --no-textconv` after a diffing subcommand: an external diff or textconv driver cannot be
 * switched off through config (an empty `diff.external` makes git fail, not skip it), only by these flags, and a
 * patch Baton ships or merges must be git's own, byte for byte.
 */
export function withoutDiffDrivers(args: readonly string[]): readonly string[] {
  let i = 0;
  // Global options before the subcommand; `-c`, `-C` and `--git-dir`-style pairs take the next argument.
  while (i < args.length && args[i]!.startsWith('-')) {
    i += ['-c', '-C', '--git-dir', '--work-tree', '--namespace'].includes(args[i]!) ? 2 : 1;
  }
  if (i >= args.length || !DIFFING.has(args[i]!)) return args;
  return [...args.slice(0, i + 1), '--no-ext-diff', '--no-textconv', ...args.slice(i + 1)];
}
