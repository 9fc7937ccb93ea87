import { canonicalGitArgv, readGit } from './git-invocation.js';
import { splitRuleWords } from './parse-rule.js';
import type { SimpleCommand } from './split-command.js';

/** How strictly a Bash rule is matched: allow rules need the exact words; deny/ask rules also catch reordered options. */
export const MatchMode = { strict: 'strict', lenient: 'lenient' } as const;
/** How strictly a Bash rule is matched. */
export type MatchMode = (typeof MatchMode)[keyof typeof MatchMode];

/**
 * Compiles a Bash rule specifier: `npm test` (exact words), `npm test:*` or `npm test *` (the words start with
 * `npm test`), `*` or none (any command). Words are compared whole, so `npm test:*` does not match `npm testing`.
 */
export function compileBashPattern(
  rule: string,
  spec: string | undefined,
): (part: SimpleCommand, mode: MatchMode) => boolean {
  if (spec === undefined || spec.trim() === '*') return () => true;
  let prefix = spec.endsWith(':*');
  let words = splitRuleWords(rule, prefix ? spec.slice(0, -2) : spec);
  if (!prefix && words.length > 1 && words[words.length - 1] === '*') {
    prefix = true;
    words = words.slice(0, -1);
  }
  return (part, mode) =>
    candidates(part.argv, mode).some((argv) => {
      if (matchesInOrder(words, argv, prefix)) {
        // A word only known at run time cannot be vouched for by an allow rule.
        return mode === 'lenient' || (prefix ? !part.dynamicArgs.some((i) => i < words.length) : !part.dynamic);
      }
      return mode === 'lenient' && matchesReordered(words, argv);
    });
}

function matchesInOrder(words: string[], argv: string[], prefix: boolean): boolean {
  if (prefix ? argv.length < words.length : argv.length !== words.length) return false;
  return words.every((w, i) => argv[i] === w);
}

/** `git push --force:*` also catches `git push origin --force`: leading plain words in order, options anywhere after. */
function matchesReordered(words: string[], argv: string[]): boolean {
  const lead = words.findIndex((w) => w.startsWith('-'));
  if (lead <= 0) return false;
  if (!words.slice(0, lead).every((w, i) => argv[i] === w)) return false;
  const rest = argv.slice(lead);
  return words
    .slice(lead)
    .every(
      (w) =>
        rest.includes(w) ||
        (isShortCluster(w) && rest.some((a) => isShortCluster(a) && [...w.slice(1)].every((ch) => a.includes(ch)))),
    );
}

function isShortCluster(w: string): boolean {
  return /^-[A-Za-z]+$/.test(w);
}

/**
 * The argv as written, plus git's as git reads it (global options removed, abbreviated long options in full), and
 * for deny/ask rules the program's base name when it is run by a path (`./bin/rm` is judged as `rm` too).
 */
function candidates(argv: string[], mode: MatchMode): string[][] {
  const out = [argv];
  const name = argv[0] ?? '';
  if (mode === 'lenient' && name.includes('/')) out.push([name.slice(name.lastIndexOf('/') + 1), ...argv.slice(1)]);
  for (const a of [...out]) if (a[0] === 'git') out.push(canonicalGitArgv(readGit(a)));
  return out;
}
