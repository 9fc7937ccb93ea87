import type { SimpleCommand } from './split-command.js';

/** A file a part writes, from a redirection or from a command known to modify its operands. */
export interface WriteTarget {
  path: string;
  dynamic: boolean;
  via: string;
}

const DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const OPERAND_WRITERS = new Set(['rm', 'rmdir', 'touch', 'truncate', 'mkdir', 'unlink', 'shred', 'tee', 'mv']);
const LAST_OPERAND_WRITERS = new Set(['cp', 'install', 'ln']);
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
  for (const f of files)
    if (!DEVICES.test(f.value)) out.push({ path: f.value, dynamic: f.dynamic, via: `${name} ${f.value}` });
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
