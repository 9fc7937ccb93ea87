import { ParseError } from 'sh-syntax';
import { commandName } from './command-name.js';
import { ShellSyntaxError } from './errors.js';
import { unwrapCommand } from './command-wrappers.js';
import { inputLimitProblem } from './input-limits.js';
import type { WrapperKind } from './command-wrappers.js';
import { ShellParser } from './shell-parser.js';
import { parseShellSyntax } from './shell-syntax.js';
import type { ParsedCommand } from './shell-parser.js';
import type { ShellWord } from './shell-scanner.js';

/** A redirection of a part, e.g. `{ op: '>>', target: 'out.log' }` (`op` carries its fd, e.g. `2>`). */
export interface CommandRedirect {
  op: string;
  target: string;
  dynamic: boolean;
  /** A here-document's text; for a here-string (`<<<`) the target is the text. */
  body?: string;
  /** The here-document's text expands `$` or backticks at run time. */
  bodyDynamic?: boolean;
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
  /** Its arguments are completed at run time from input (`xargs`, or `find -exec` over roots that may be anywhere). */
  inputArgs?: boolean;
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
  // The worker and the coordinator judge the same command, and a run repeats its commands: parse each once.
  const key = `${maxParts}\0${command}`;
  const cached = recent.get(key);
  if (cached !== undefined) {
    recent.delete(key);
    recent.set(key, cached);
    return structuredClone(cached);
  }
  const result = await splitUncached(command, maxParts);
  recent.set(key, result);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value ?? key);
  return structuredClone(result);
}

const RECENT_LIMIT = 512;
const recent = new Map<string, SplitResult>();

async function splitUncached(command: string, maxParts: number): Promise<SplitResult> {
  const parts: SimpleCommand[] = [];
  const tooBig = inputLimitProblem(command);
  if (tooBig !== undefined) return { ok: false, reason: tooBig };
  try {
    await splitInto(command, parts, 0, maxParts, undefined);
  } catch (err) {
    if (err instanceof TooManyParts) return { ok: false, reason: err.message, parts };
    if (err instanceof ShellSyntaxError) return { ok: false, reason: err.message };
    if (err instanceof ParseError || err instanceof SyntaxError) {
      return { ok: false, reason: `not valid shell: ${err.message}` };
    }
    // Anything else (a stack overflow, a WebAssembly trap in sh-syntax) is still an answer: the command is unreadable.
    return {
      ok: false,
      reason: `the shell parser failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    };
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
  const file = await parseShellSyntax(script);
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
  const u = unwrapCommand(words.map((w, i) => (i === 0 ? { ...w, value: part.argv[0] ?? w.value } : w)));
  if (u === undefined) return;
  if (u.opaque !== undefined) part.opaque ??= u.opaque;
  if (u.kind === 'shell' && u.scriptFromInput === true) {
    part.pipedScript = part.stdinPipe || words.some((w) => w.raw.startsWith('<('));
    const fed = part.pipedScript ? undefined : scriptFromRedirect(part);
    if (fed?.opaque !== undefined) part.opaque = fed.opaque;
    if (fed?.script !== undefined) {
      part.wrapper = u.kind;
      await splitInto(fed.script, parts, nesting + 1, maxParts, part.text);
    }
    return;
  }
  const runsSomething = u.commands.length > 0 || u.scripts.length > 0;
  if (runsSomething && u.kind !== 'sudo' && u.opaque === undefined && u.kind !== 'find') part.wrapper = u.kind;
  for (const r of u.commands) {
    const inner = words.slice(r.start, r.end);
    if (inner.length === 0) continue;
    const sub = fromWords(inner, [], [], inner.map((w) => w.raw).join(' '), part.stdinPipe, part.text);
    if (r.argsFromInput) {
      sub.dynamic = true;
      if (u.kind !== 'find' || !findRootsInside(part.argv)) sub.inputArgs = true;
    }
    await addPart(sub, inner, parts, nesting, maxParts);
  }
  for (const s of u.scripts) await splitInto(s, parts, nesting + 1, maxParts, part.text);
}

/** Whether every starting point of a `find` lies inside the worktree, so the paths it hands to -exec do too. */
function findRootsInside(argv: readonly string[]): boolean {
  const roots: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') || a === '(' || a === '!') break;
    roots.push(a);
  }
  return roots.every(
    (r) => !r.startsWith('/') && !r.startsWith('~') && !r.includes('$') && !/(^|\/)\.\.(\/|$)/.test(r),
  );
}

/** A shell reading its script from a here-document, a here-string or a file: the script is split, or judged opaque. */
function scriptFromRedirect(part: SimpleCommand): { script?: string; opaque?: string } | undefined {
  const input = part.redirects.filter((r) => /^\d*(<<-?|<<<|<)$/.test(r.op));
  const last = input[input.length - 1];
  if (last === undefined) return undefined;
  const op = last.op.replace(/^\d+/, '');
  if (op === '<') return { opaque: `a shell reading its script from the file "${last.target}"` };
  if (op === '<<<')
    return last.dynamic ? { opaque: 'a shell reading a here-string only known at run time' } : { script: last.target };
  if (last.body === undefined || last.bodyDynamic === true)
    return { opaque: 'a shell reading a here-document only known at run time' };
  return { script: last.body };
}

function toSimple(c: ParsedCommand, via: string | undefined): SimpleCommand {
  return fromWords(
    c.words,
    c.assigns,
    c.redirects.map((r) => {
      const redirect: CommandRedirect = {
        op: (r.fd ?? '') + r.op,
        target: r.target.value,
        dynamic: r.target.dynamic,
      };
      if (r.body !== undefined) redirect.body = r.body;
      if (r.bodyDynamic === true) redirect.bodyDynamic = true;
      return redirect;
    }),
    c.text,
    c.stdinPipe,
    via,
    [...c.words, ...c.assigns, ...c.redirects.map((r) => r.target)].find((w) => w.evaluates !== undefined)?.evaluates,
  );
}

function fromWords(
  words: readonly ShellWord[],
  assigns: readonly ShellWord[],
  redirects: CommandRedirect[],
  text: string,
  stdinPipe: boolean,
  via: string | undefined,
  evaluates: string | undefined = words.find((w) => w.evaluates !== undefined)?.evaluates,
): SimpleCommand {
  const dynamicArgs = words.flatMap((w, i) => (w.dynamic ? [i] : []));
  const part: SimpleCommand = {
    argv: words.map((w, i) => (i === 0 && !w.dynamic ? commandName(w.value) : w.value)),
    text,
    redirects,
    dynamic: dynamicArgs.length > 0 || assigns.some((a) => a.dynamic) || redirects.some((r) => r.dynamic),
    dynamicArgs,
    assignments: assigns.map((a) => a.raw),
    stdinPipe,
  };
  if (via !== undefined) part.via = via;
  if (evaluates !== undefined) part.opaque = evaluates;
  return part;
}
