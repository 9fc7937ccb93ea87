import type { ShellWord } from './shell-scanner.js';

/** Commands that run another command given in their arguments. */
export const WrapperKind = {
  env: 'env',
  timeout: 'timeout',
  nice: 'nice',
  nohup: 'nohup',
  sudo: 'sudo',
  command: 'command',
  exec: 'exec',
  builtin: 'builtin',
  time: 'time',
  xargs: 'xargs',
  find: 'find',
  shell: 'shell',
  eval: 'eval',
  source: 'source',
  runner: 'runner',
} as const;
/** A kind of wrapper command. */
export type WrapperKind = (typeof WrapperKind)[keyof typeof WrapperKind];

/** What a wrapper runs: argv ranges of commands, script strings to parse, or a reason it cannot be known. */
export interface Unwrapped {
  kind: WrapperKind;
  commands: { start: number; end: number; argsFromInput: boolean }[];
  scripts: string[];
  opaque?: string;
  /** A shell interpreter that reads its script from stdin or from a process substitution. */
  scriptFromInput?: boolean;
}

/** Shell interpreters whose `-c` string is parsed and whose stdin script is a download risk. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish']);

/**
 * Commands that run the command after their options, with the short options that take a value (`stdbuf -o L`).
 * Each only changes how the command runs (buffering, session, priority, CPU, lock), never what it is.
 */
const RUNNERS: Record<string, { valued: RegExp }> = {
  stdbuf: { valued: /^(?:-[ioe]|--(?:input|output|error))$/ },
  setsid: { valued: /^$/ },
  coproc: { valued: /^$/ },
  ionice: { valued: /^(?:-[cnp]|--(?:class|classdata|pid))$/ },
  chrt: { valued: /^$/ },
  taskset: { valued: /^$/ },
  unbuffer: { valued: /^$/ },
  caffeinate: { valued: /^-[w]$/ },
  nocache: { valued: /^$/ },
  torsocks: { valued: /^$/ },
  proxychains: { valued: /^-f$/ },
  proxychains4: { valued: /^-f$/ },
  catchsegv: { valued: /^$/ },
  'systemd-run': { valued: /^(?:-[pEu]|--(?:property|setenv|unit|uid|gid|working-directory))$/ },
  firejail: { valued: /^$/ },
  unshare: { valued: /^$/ },
  chroot: { valued: /^$/ },
};

/** Commands that run a string or their arguments in a way that cannot be followed (a shell string of their own). */
const STRING_RUNNERS: Record<string, string> = {
  watch: 'watch runs its arguments through a shell',
  script: 'script -c runs a command string',
  su: 'su runs a command as another user',
  runuser: 'runuser runs a command as another user',
  flock: 'flock -c runs a command string',
  parallel: 'parallel builds commands from its input',
  nsenter: 'nsenter runs a command in other namespaces',
  dbus: 'dbus-run-session runs a command',
  ssh: 'ssh runs a command on another machine',
  tmux: 'tmux runs commands in a terminal multiplexer',
  screen: 'screen runs commands in a terminal multiplexer',
  expect: 'expect runs a script',
  at: 'at schedules a command',
  batch: 'batch schedules a command',
  crontab: 'crontab schedules commands',
};

/** Unwraps `words` when its command is a wrapper (env, timeout, xargs, find -exec, bash -c, eval, ...). */
export function unwrapCommand(words: readonly ShellWord[]): Unwrapped | undefined {
  const argv = words.map((w) => w.value);
  const name = argv[0] ?? '';
  const rest = (kind: WrapperKind, i: number, argsFromInput = false): Unwrapped => ({
    kind,
    commands: i < argv.length ? [{ start: i, end: argv.length, argsFromInput }] : [],
    scripts: [],
  });
  const runner = RUNNERS[name];
  if (runner !== undefined) {
    let i = 1;
    // chroot's first operand is its new root; chrt and taskset take a priority or CPU mask before the command.
    for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
      if (argv[i] === '--') {
        i++;
        break;
      }
      if (runner.valued.test(argv[i] ?? '')) i++;
    }
    if (name === 'chroot' || name === 'chrt' || name === 'taskset') i++;
    return rest('runner', i);
  }
  if (name === 'busybox' || name === 'toybox') {
    // `busybox rm -rf /` is `rm -rf /`; `busybox sh` is a shell.
    const applet = words.slice(1);
    if (applet.length === 0) return undefined;
    return unwrapCommand(applet) ?? rest('runner', 1);
  }
  const stringRunner = STRING_RUNNERS[name];
  if (stringRunner !== undefined && argv.length > 1)
    return { kind: 'runner', commands: [], scripts: [], opaque: stringRunner };
  switch (name) {
    case 'env': {
      let i = 1;
      for (; i < argv.length; i++) {
        const a = argv[i] ?? '';
        if (a === '--') {
          i++;
          break;
        }
        if (a === '-S' || a.startsWith('--split-string') || /^-[^-]*S/.test(a))
          return { kind: 'env', commands: [], scripts: [], opaque: 'env -S splits a string into a command' };
        if (a === '-u' || a === '--unset' || a === '-C' || a === '--chdir') i++;
        else if (!a.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) break;
      }
      return rest('env', i);
    }
    case 'timeout': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
        if (['-s', '--signal', '-k', '--kill-after'].includes(argv[i] ?? '')) i++;
      }
      return rest('timeout', i + 1);
    }
    case 'nice': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
        if (argv[i] === '-n' || argv[i] === '--adjustment') i++;
      }
      return rest('nice', i);
    }
    case 'nohup':
    case 'builtin':
      return rest(name, argv[1] === '--' ? 2 : 1);
    case 'ltrace':
    case 'strace':
    case 'valgrind':
    case 'gdb':
    case 'perf':
      return { kind: 'runner', commands: [], scripts: [], opaque: `${name} runs and inspects a program` };
    case 'sudo':
    case 'doas': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
        if (argv[i] === '--') {
          i++;
          break;
        }
        if (/^-[ugpChrtUDRTa]$/.test(argv[i] ?? '')) i++;
      }
      const r = rest('sudo', i);
      return i < argv.length ? r : { ...r, opaque: `${name} without a command opens a root shell` };
    }
    case 'command': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
        if (argv[i] === '-v' || argv[i] === '-V') return { kind: 'command', commands: [], scripts: [] };
      }
      return rest('command', i);
    }
    case 'exec': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) if (argv[i] === '-a') i++;
      return rest('exec', i);
    }
    case 'time': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++)
        if (['-f', '--format', '-o', '--output'].includes(argv[i] ?? '')) i++;
      return rest('time', i);
    }
    case 'xargs': {
      let i = 1;
      for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
        if (argv[i] === '--') {
          i++;
          break;
        }
        if (
          /^-[ILnPsdEa]$/.test(argv[i] ?? '') ||
          /^--(max-args|max-procs|max-chars|delimiter|eof|arg-file|max-lines|replace|process-slot-var)$/.test(
            argv[i] ?? '',
          )
        )
          i++;
      }
      return rest('xargs', i, true);
    }
    case 'find':
      return unwrapFind(argv);
    case 'eval':
      if (words.slice(1).some((w) => w.dynamic))
        return { kind: 'eval', commands: [], scripts: [], opaque: 'eval of a string only known at run time' };
      return { kind: 'eval', commands: [], scripts: [argv.slice(1).join(' ')] };
    case 'source':
    case '.':
      if (words.slice(1).some((w) => w.dynamic))
        return { kind: 'source', commands: [], scripts: [], opaque: `${name} of a file only known at run time` };
      return undefined;
  }
  const base = name.slice(name.lastIndexOf('/') + 1);
  return SHELLS.has(base) ? unwrapShell(words) : undefined;
}

function unwrapFind(argv: string[]): Unwrapped | undefined {
  const commands: Unwrapped['commands'] = [];
  for (let i = 1; i < argv.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(argv[i] ?? '')) continue;
    let j = i + 1;
    while (j < argv.length && argv[j] !== ';' && !(argv[j] === '+' && argv[j - 1] === '{}')) j++;
    commands.push({ start: i + 1, end: j, argsFromInput: true });
    i = j;
  }
  return commands.length > 0 ? { kind: 'find', commands, scripts: [] } : undefined;
}

function unwrapShell(words: readonly ShellWord[]): Unwrapped {
  let i = 1;
  let cFlag = false;
  let sFlag = false;
  for (; i < words.length; i++) {
    const a = words[i]?.value ?? '';
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (!a.startsWith('-') && !a.startsWith('+')) break;
    if (a.startsWith('--')) {
      if (a === '--rcfile' || a === '--init-file') i++;
      continue;
    }
    if (a.includes('c')) cFlag = true;
    if (a.includes('s')) sFlag = true;
    if (a.includes('o') || a.includes('O')) i++;
  }
  const operand = words[i];
  if (cFlag) {
    if (operand === undefined)
      return { kind: 'shell', commands: [], scripts: [], opaque: 'shell -c without a command string' };
    if (operand.dynamic)
      return { kind: 'shell', commands: [], scripts: [], opaque: 'shell -c with a string only known at run time' };
    return { kind: 'shell', commands: [], scripts: [operand.value] };
  }
  const fromInput = sFlag || operand === undefined || operand.raw.startsWith('<(');
  return { kind: 'shell', commands: [], scripts: [], scriptFromInput: fromInput };
}
