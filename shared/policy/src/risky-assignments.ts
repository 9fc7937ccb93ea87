import type { SimpleCommand } from './split-command.js';

/**
 * Variables that change what a command runs or loads: git's own (`GIT_DIR`, `GIT_SSH_COMMAND`, `GIT_CONFIG_*`),
 * the shell's start-up and tracing hooks (`BASH_ENV`, `ENV`, `PS4`), search paths and preloads (`PATH`, `LD_*`),
 * where configuration is read from (`HOME`, `XDG_*`) and the interpreters' option variables.
 */
const RISKY =
  /^(?:GIT_\w+|BASH_\w+|ENV|PS[0-4]|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|IFS|CDPATH|GLOBIGNORE|PATH|LD_\w+|DYLD_\w+|HOME|XDG_\w+|NODE_OPTIONS|NODE_PATH|NODE_REPL_EXTERNAL_MODULE|ELECTRON_RUN_AS_NODE|PYTHON\w*|PERL\w*|RUBY\w*|GEM_\w+|BUNDLE_\w+|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|EDITOR|VISUAL|PAGER|MANPAGER|LESS\w*|SHELL|SSH_\w+|\w*ASKPASS|GCONV_PATH|npm_config_\w+|NPM_CONFIG_\w+|YARN_\w+|COREPACK_\w+|CARGO_\w+|RUSTC\w*|RUSTFLAGS|GO\w+|MAKEFLAGS|MAKE|CC|CXX|TAR_OPTIONS|BROWSER|TMPDIR|HOSTALIASES|VIMINIT|EXINIT)$/;

const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/** The first `NAME=value` of a part (before the command, given to `env`, or exported) that changes what runs. */
export function riskyAssignment(part: SimpleCommand): string | undefined {
  const [name = '', ...args] = part.argv;
  const words = [...part.assignments];
  if (name === 'env') {
    for (const a of args) {
      if (/^[A-Za-z_]\w*=/.test(a)) words.push(a);
      else if (!a.startsWith('-')) break;
    }
  } else if (DECLARERS.has(name)) {
    // `export PATH` (no value) exports a value set earlier, which was judged where it was set.
    words.push(...args.filter((a) => !a.startsWith('-')));
  }
  return words.map((w) => /^[A-Za-z_]\w*/.exec(w)?.[0] ?? '').find((n) => RISKY.test(n));
}
