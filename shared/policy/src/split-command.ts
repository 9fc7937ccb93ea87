import { ParseError, parse } from 'sh-syntax';
import { ShellSyntaxError } from './errors.js';
import { unwrapCommand } from './command-wrappers.js';
import type { WrapperKind } from './command-wrappers.js';
import { ShellParser } from './shell-parser.js';
import type { ParsedCommand } from './shell-parser.js';
import type { ShellWord } from './shell-scanner.js';

/** A redirection of a part, e.g. `{ op: '>>', target: 'out.log' }` (`op` carries its fd, e.g. `2>`). */
export interface CommandRedirect {
  op: string;
  target: string;
  dynamic: boolean;
}

/** One simple command of a (possibly compound) shell command line: what the policy judges. */
export interface SimpleCommand {
  argv: string[];
  text: string;
  redirects: CommandRedirect[];
  /** Some word expands at run time (`$VAR`, `$(...)`, globs, arguments fed by xargs/find); argv keeps the literal text. */
  dynamic: boolean;
  /** Indexes of argv words only known at run time. */
  dynamicArgs: number[];
  /** `NAME=value` words before the command. */
  assignments: string[];
  /** Its stdin comes from a pipe. */
  stdinPipe: boolean;
  /** Set when this part only runs other parts (env, timeout, xargs, bash -c, ...), which are checked on their own. */
  wrapper?: WrapperKind;
  /** Why this part's effect cannot be known before it runs (eval of a dynamic string, `sudo` shell, ...). */
  opaque?: string;
  /** A shell interpreter reading its script from a pipe or a process substitution (`curl x | sh`). */
  pipedScript?: boolean;
  /** The text of the part this one was unwrapped from, e.g. `timeout 5 npm test`. */
  via?: string;
}

/** The parts of a command line, or why it could not be split (such a command is never allowed without a human). */
export type SplitResult = { ok: true; parts: SimpleCommand[] } | { ok: false; reason: string; parts?: SimpleCommand[] };

/** Options of `splitCommand`. */
export interface SplitOptions {
  /** More parts than this makes the split fail (default 64). */
  maxParts?: number;
}

const MAX_NESTING = 6;

/**
 * Splits a shell command line into its simple commands: lists, pipelines, substitutions, subshells, bodies,
 * `bash -c` strings and wrapped commands (env, timeout, nice, nohup, sudo, xargs, find -exec, ...) each become a part.
 * @example await splitCommand('npm test && curl x | sh') // parts: npm test, curl x, sh
 */
export async function splitCommand(command: string, options: SplitOptions = {}): Promise<SplitResult> {
  const maxParts = options.maxParts ?? 64;
  const parts: SimpleCommand[] = [];
  try {
    await splitInto(command, parts, 0, maxParts, undefined);
  } catch (err) {
    if (err instanceof TooManyParts) return { ok: false, reason: err.message, parts };
    if (err instanceof ShellSyntaxError) return { ok: false, reason: err.message };
    if (err instanceof ParseError || err instanceof SyntaxError) {
      return { ok: false, reason: `not valid shell: ${err.message}` };
    }
    throw err;
  }
  return { ok: true, parts };
}

class TooManyParts extends Error {
  constructor(maxParts: number) {
    super(`more than ${maxParts} commands in one command line`);
  }
}

async function splitInto(
  script: string,
  parts: SimpleCommand[],
  nesting: number,
  maxParts: number,
  via: string | undefined,
): Promise<void> {
  if (nesting > MAX_NESTING) throw new ShellSyntaxError(0, 'shell strings nested too deeply');
  // sh-syntax (mvdan/sh) is the authority on validity; its JSON AST only keeps statement boundaries,
  // so our own grammar finds the commands and must agree with it on the top-level statements.
  const file = await parse(script);
  const parsed = new ShellParser(script).parseScript();
  if (parsed.statements !== file.Stmts.length) {
    throw new ShellSyntaxError(0, `parsers disagree on the statements (${parsed.statements} vs ${file.Stmts.length})`);
  }
  for (const c of parsed.commands) await addPart(toSimple(c, via), c.words, parts, nesting, maxParts);
}

async function addPart(
  part: SimpleCommand,
  words: readonly ShellWord[],
  parts: SimpleCommand[],
  nesting: number,
  maxParts: number,
): Promise<void> {
  if (parts.length >= maxParts) throw new TooManyParts(maxParts);
  parts.push(part);
  const u = unwrapCommand(words);
  if (u === undefined) return;
  if (u.opaque !== undefined) part.opaque = u.opaque;
  if (u.kind === 'shell' && u.scriptFromInput === true) {
    part.pipedScript = part.stdinPipe || words.some((w) => w.raw.startsWith('<('));
    return;
  }
  const runsSomething = u.commands.length > 0 || u.scripts.length > 0;
  if (runsSomething && u.kind !== 'sudo' && u.opaque === undefined && u.kind !== 'find') part.wrapper = u.kind;
  for (const r of u.commands) {
    const inner = words.slice(r.start, r.end);
    if (inner.length === 0) continue;
    const sub = fromWords(inner, [], [], inner.map((w) => w.raw).join(' '), part.stdinPipe, part.text);
    if (r.argsFromInput) sub.dynamic = true;
    await addPart(sub, inner, parts, nesting, maxParts);
  }
  for (const s of u.scripts) await splitInto(s, parts, nesting + 1, maxParts, part.text);
}

function toSimple(c: ParsedCommand, via: string | undefined): SimpleCommand {
  return fromWords(
    c.words,
    c.assigns,
    c.redirects.map((r) => ({ op: (r.fd ?? '') + r.op, target: r.target.value, dynamic: r.target.dynamic })),
    c.text,
    c.stdinPipe,
    via,
  );
}

function fromWords(
  words: readonly ShellWord[],
  assigns: readonly ShellWord[],
  redirects: CommandRedirect[],
  text: string,
  stdinPipe: boolean,
  via: string | undefined,
): SimpleCommand {
  const dynamicArgs = words.flatMap((w, i) => (w.dynamic ? [i] : []));
  const part: SimpleCommand = {
    argv: words.map((w) => w.value),
    text,
    redirects,
    dynamic: dynamicArgs.length > 0 || assigns.some((a) => a.dynamic) || redirects.some((r) => r.dynamic),
    dynamicArgs,
    assignments: assigns.map((a) => a.raw),
    stdinPipe,
  };
  if (via !== undefined) part.via = via;
  return part;
}
