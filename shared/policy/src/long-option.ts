/**
 * Whether `arg` is the long option `--name` as getopt_long and git's parse-options accept it: in full, abbreviated
 * to at least `min` characters, with or without `=value`. Abbreviations count because the programs accept them.
 * @example isLongOption('--compress=sh', 'compress-program', 3) // true
 */
export function isLongOption(arg: string, name: string, min = name.length): boolean {
  if (!arg.startsWith('--')) return false;
  const eq = arg.indexOf('=');
  const given = arg.slice(2, eq === -1 ? undefined : eq);
  return given.length >= min && name.startsWith(given);
}

/** Whether `arg` is a short-option cluster (`-xvf`) containing `letter` before any attached value. */
export function hasShortFlag(arg: string, letter: string, valued = ''): boolean {
  if (!/^-[A-Za-z0-9]/.test(arg) || arg.startsWith('--')) return false;
  for (const ch of arg.slice(1)) {
    if (ch === letter) return true;
    if (valued.includes(ch)) return false;
  }
  return false;
}
