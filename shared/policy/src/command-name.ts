/** Folders whose programs are the system's own: `/usr/bin/git` is `git`, while `./git` or `/tmp/git` stay as written. */
const SYSTEM_BIN = /^\/(?:usr\/(?:local\/)?)?s?bin\/([^/]+)$|^\/opt\/homebrew\/bin\/([^/]+)$|^\/bin\/([^/]+)$/;

/**
 * The name a command is matched by: a system program given by its path is its bare name, so rules written for
 * `git` also govern `/usr/bin/git`. Quoting (`'git'`, `g""it`, `\git`) is already removed by the scanner.
 * @example commandName('/usr/bin/git') // 'git'
 */
export function commandName(word: string): string {
  const m = SYSTEM_BIN.exec(word.replace(/\/{2,}/g, '/'));
  return m === null ? word : (m[1] ?? m[2] ?? m[3] ?? word);
}
