import { readGit } from './git-invocation.js';
import { hasShortFlag, isLongOption } from './long-option.js';
import type { SimpleCommand } from './split-command.js';

/** A file a part writes, from a redirection or from a command known to modify its operands. */
export interface WriteTarget {
  path: string;
  dynamic: boolean;
  via: string;
}

const DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
// ln: the link's target counts too, since a later write through the link lands there (`ln -s .git/hooks h`).
const OPERAND_WRITERS = new Set(['rm', 'rmdir', 'touch', 'truncate', 'mkdir', 'unlink', 'shred', 'tee', 'mv', 'ln']);
const LAST_OPERAND_WRITERS = new Set(['cp', 'install']);
const MODE_WRITERS = new Set(['chmod', 'chown', 'chgrp']);

/** The files a part writes: `>`/`>>` targets and the operands of rm, mv, cp, tee, touch, `sed -i`, `dd of=`, .... */
export function writeTargets(part: SimpleCommand): WriteTarget[] {
  const out: WriteTarget[] = [];
  for (const r of part.redirects) {
    const op = r.op.replace(/^\d+|^\{[^}]*\}/, '');
    const fdDup = op === '>&' && /^(\d+|-)$/.test(r.target);
    if ((WRITE_OPS.has(op) || (op === '>&' && !fdDup)) && !DEVICES.test(r.target))
      out.push({ path: r.target, dynamic: r.dynamic, via: `${r.op} ${r.target}` });
  }
  const [name = '', ...args] = part.argv;
  const operands = operandsOf(part, args);
  let files: typeof operands = [];
  if (OPERAND_WRITERS.has(name)) files = operands;
  else if (LAST_OPERAND_WRITERS.has(name)) files = operands.slice(-1);
  else if (MODE_WRITERS.has(name)) files = operands.slice(1);
  else if (
    (name === 'sed' || name === 'perl') &&
    args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))
  ) {
    const hasScriptOption = args.some(
      (a) => a === '-e' || a === '-f' || a.startsWith('--expression') || /^-[a-zA-Z]*e$/.test(a),
    );
    files = operandsOf(part, args, new Set(['-e', '-f', '--expression', '--file'])).slice(hasScriptOption ? 0 : 1);
  } else if (name === 'dd') {
    files = args.flatMap((a, i) =>
      a.startsWith('of=') ? [{ value: a.slice(3), dynamic: part.dynamicArgs.includes(i + 1) }] : [],
    );
  }
  files.push(...optionTargets(part));
  for (const f of files)
    if (!DEVICES.test(f.value)) out.push({ path: f.value, dynamic: f.dynamic, via: `${name} ${f.value}` });
  // Operands fed by xargs or find -exec are only known at run time.
  if (
    part.inputArgs === true &&
    (OPERAND_WRITERS.has(name) || LAST_OPERAND_WRITERS.has(name) || MODE_WRITERS.has(name))
  )
    out.push({ path: '{input}', dynamic: true, via: `${name} with operands from its input` });
  return out;
}

/** Per command, the options whose value is a file or folder written (`cp -t DIR`, `sort -o F`, `tar -C DIR`, ...). */
const OUTPUT_OPTIONS: Record<string, { short: string; long: string[] }> = {
  cp: { short: 't', long: ['target-directory'] },
  mv: { short: 't', long: ['target-directory'] },
  install: { short: 't', long: ['target-directory'] },
  ln: { short: 't', long: ['target-directory'] },
  sort: { short: 'o', long: ['output'] },
  tree: { short: 'o', long: [] },
  time: { short: 'o', long: ['output'] },
  tar: { short: 'Cf', long: ['directory', 'file'] },
  curl: { short: 'o', long: ['output', 'output-dir'] },
  wget: { short: 'OP', long: ['output-document', 'directory-prefix', 'output-file'] },
  patch: { short: 'o', long: ['output'] },
  unzip: { short: 'd', long: [] },
  git: { short: 'o', long: ['output', 'output-directory'] },
};

function optionTargets(part: SimpleCommand): { value: string; dynamic: boolean }[] {
  const [name = '', ...args] = part.argv;
  const out: { value: string; dynamic: boolean }[] = [];
  const at = (i: number): { value: string; dynamic: boolean } => ({
    value: args[i] ?? '',
    dynamic: part.dynamicArgs.includes(i + 1),
  });
  if (name === 'find') {
    args.forEach((a, i) => {
      if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(a)) out.push(at(i + 1));
    });
    // -delete removes what it finds: everything under its starting points.
    if (args.includes('-delete'))
      for (let i = 0; i < args.length && !/^[-(!]/.test(args[i] ?? ''); i++) out.push(at(i));
    return out;
  }
  if (name === 'uniq') {
    const operands = args.flatMap((a, i) => (a.startsWith('-') ? [] : [at(i)]));
    return operands.slice(1, 2);
  }
  if (name === 'install' && args.some((a) => hasShortFlag(a, 'd') || a === '--directory'))
    return args.flatMap((a, i) => (a.startsWith('-') ? [] : [at(i)]));
  const spec = OUTPUT_OPTIONS[name];
  if (spec === undefined) return out;
  if (name === 'git') {
    const inv = readGit(part.argv);
    const operands = inv.args.filter((a) => !a.startsWith('-'));
    // The folder a new repository or worktree is written to.
    if ((inv.sub === 'clone' || inv.sub === 'init') && operands.length > (inv.sub === 'clone' ? 1 : 0))
      return [{ value: operands[operands.length - 1] ?? '', dynamic: part.dynamic }];
    if (inv.sub === 'worktree' && operands[0] === 'add' && operands[1] !== undefined)
      return [{ value: operands[1], dynamic: part.dynamic }];
    if (inv.sub === undefined || !['diff', 'log', 'show', 'format-patch', 'archive'].includes(inv.sub)) return out;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const long = spec.long.find((l) => isLongOption(a, l, Math.min(l.length, 3)));
    if (long !== undefined) {
      if (a.includes('=')) out.push({ value: a.slice(a.indexOf('=') + 1), dynamic: part.dynamicArgs.includes(i + 1) });
      else out.push(at(++i));
      continue;
    }
    const m = /^-([A-Za-z]*)$|^-([A-Za-z]+)(.*)$/.exec(a);
    if (m === null || a.startsWith('--')) continue;
    const letters = a.slice(1);
    const idx = [...letters].findIndex((ch) => spec.short.includes(ch));
    if (idx === -1) continue;
    const attached = letters.slice(idx + 1);
    if (attached !== '') out.push({ value: attached, dynamic: part.dynamicArgs.includes(i + 1) });
    else out.push(at(++i));
  }
  return out;
}

function operandsOf(
  part: SimpleCommand,
  args: string[],
  valued = new Set<string>(),
): { value: string; dynamic: boolean }[] {
  const out: { value: string; dynamic: boolean }[] = [];
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!onlyOperands && a === '--') onlyOperands = true;
    else if (!onlyOperands && a.startsWith('-') && a !== '-') {
      if (valued.has(a) || (valued.size > 0 && /^-[a-zA-Z]*e$/.test(a))) i++;
    } else out.push({ value: a, dynamic: part.dynamicArgs.includes(i + 1) });
  }
  return out;
}
