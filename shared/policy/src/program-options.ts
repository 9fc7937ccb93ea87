import { hasShortFlag, isLongOption } from './long-option.js';
import type { SimpleCommand } from './split-command.js';

/**
 * Why a part runs a program (or code) named in its own arguments, which no rule on its name can vouch for:
 * `rg --pre`, `sort --compress-program`, `tar --to-command`/`--checkpoint-action`/`-I`, sed's `e` command and
 * `w` files, awk's `system()`, pipes and output redirections, npm's `--script-shell`, `env -C`, and the builtins
 * that evaluate a variable name as arithmetic (`printf -v`, `read`, `let`, `test -v`). Undefined when none applies.
 */
export function programOption(part: SimpleCommand): string | undefined {
  const [name = '', ...args] = part.argv;
  const opts = args.filter((a) => a.startsWith('-'));
  switch (name) {
    case 'rg':
      return opts.some((a) => isLongOption(a, 'pre', 3) && !a.startsWith('--pre-glob'))
        ? 'rg --pre runs a program on every file'
        : undefined;
    case 'sort':
      return opts.some((a) => isLongOption(a, 'compress-program', 4))
        ? 'sort --compress-program runs a program'
        : undefined;
    case 'tar':
    case 'bsdtar':
      return tarProgram(args);
    case 'sed':
    case 'gsed':
      return sedProgram(args);
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk':
    case 'busybox-awk':
      return awkProgram(args);
    case 'npm':
    case 'npx':
    case 'pnpm':
    case 'yarn':
      return opts.some(
        (a) =>
          ['script-shell', 'node-options', 'userconfig', 'globalconfig', 'call'].some((o) => isLongOption(a, o)) ||
          a === '-c',
      )
        ? `${name} option runs a shell or loads configuration named in the command`
        : undefined;
    case 'env':
      return opts.some((a) => a === '-C' || isLongOption(a, 'chdir', 2) || hasShortFlag(a, 'C', 'u'))
        ? 'env -C runs the command in another folder'
        : undefined;
    case 'printf':
      return opts.some((a) => a === '-v' || hasShortFlag(a, 'v'))
        ? 'printf -v assigns to a name evaluated at run time'
        : undefined;
    case 'read':
    case 'mapfile':
    case 'readarray':
    case 'let':
      return `${name} evaluates variable names (and their array subscripts) at run time`;
    case 'test':
    case '[':
      return args.some((a) => a === '-v' || a === '-R') ? `${name} -v evaluates an array subscript` : undefined;
    case 'declare':
    case 'typeset':
    case 'local':
    case 'export':
    case 'readonly':
      return args.some((a) => a.includes('[') || hasShortFlag(a, 'i') || hasShortFlag(a, 'n'))
        ? `${name} with a subscript, -i or -n evaluates names at run time`
        : undefined;
  }
  return undefined;
}

function tarProgram(args: readonly string[]): string | undefined {
  const longs = [
    'to-command',
    'checkpoint-action',
    'use-compress-program',
    'info-script',
    'new-volume-script',
    'rsh-command',
    'rmt-command',
  ];
  // The first word of old-style `tar xIf ...` is a cluster without the dash.
  const first = args[0] ?? '';
  const clusters = [/^[A-Za-z]+$/.test(first) ? `-${first}` : first, ...args.slice(1)];
  const hit = clusters.find(
    (a) =>
      longs.some((l) => isLongOption(a, l, 4)) ||
      hasShortFlag(a, 'I', 'fCbHKLNTVgX') ||
      hasShortFlag(a, 'F', 'fCbHKLNTVgX'),
  );
  return hit === undefined ? undefined : `tar ${hit} runs a program`;
}

/** sed scripts: from -e/--expression, else the first operand; -f files cannot be read here. */
function sedScripts(args: readonly string[]): string[] | undefined {
  const scripts: string[] = [];
  let operandScript = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-f' || isLongOption(a, 'file', 3) || hasShortFlag(a, 'f')) return undefined;
    if (a === '-e' || a === '--expression') {
      scripts.push(args[i + 1] ?? '');
      operandScript = false;
      i++;
    } else if (a.startsWith('--expression=')) {
      scripts.push(a.slice('--expression='.length));
      operandScript = false;
    } else if (/^-[a-zA-Z]*e./.test(a) && !a.startsWith('--')) {
      scripts.push(a.slice(a.indexOf('e') + 1));
      operandScript = false;
    } else if (/^-[a-zA-Z]*e$/.test(a)) {
      scripts.push(args[i + 1] ?? '');
      operandScript = false;
      i++;
    } else if (!a.startsWith('-') && operandScript) {
      scripts.push(a);
      break;
    }
  }
  return scripts;
}

function sedProgram(args: readonly string[]): string | undefined {
  const scripts = sedScripts(args);
  if (scripts === undefined) return 'sed -f runs a script file that cannot be checked';
  for (const script of scripts) {
    let flagged = false;
    // s and y commands are taken out first, so their text is never read as commands; s///e runs, s///w writes.
    const rest = script
      .replace(
        /([sy])(.)((?:\\.|(?!\2)[^\\])*)\2((?:\\.|(?!\2)[^\\])*)\2([a-zA-Z0-9]*)/gs,
        (_m, cmd: string, ...g: string[]) => {
          if (cmd === 's' && /[ewW]/.test(g[3] ?? '')) flagged = true;
          return ';';
        },
      )
      .replace(/\/(?:\\.|[^/\\])*\/|\\(.)(?:\\.|(?!\1)[^\\])*\1/g, '0');
    if (flagged) return "sed's s///e or s///w runs a program or writes a file";
    if (/(?:^|[;\n{}!0-9$,])\s*[eWw](?=\s|$|;|[^a-zA-Z])/m.test(rest))
      return 'sed e/w/W commands run programs or write files';
  }
  return undefined;
}

function awkProgram(args: readonly string[]): string | undefined {
  let program: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (
      a === '-f' ||
      a === '-E' ||
      a === '--file' ||
      a === '--exec' ||
      a === '-l' ||
      a === '--load' ||
      hasShortFlag(a, 'f')
    )
      return 'awk -f/-E/-l runs code from a file';
    if (a === '-v' || a === '-F') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    program = a;
    break;
  }
  if (program === undefined) return undefined;
  if (/system\s*\(|\|[^|]|@load|\bgetline\b/.test(program.replaceAll('||', '')))
    return 'awk system(), pipes and getline run programs';
  if (/\bprintf?\b[^;}]*>/.test(program)) return 'awk print > file writes a file';
  return undefined;
}
