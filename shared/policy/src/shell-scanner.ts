import { ShellSyntaxError } from './errors.js';

/** One shell word: its source text, its value after quote removal, and whether expansion makes it unknowable before running. */
export interface ShellWord {
  raw: string;
  value: string;
  dynamic: boolean;
  /** Why bash evaluates part of it as code at run time (arithmetic, subscripts, indirection, prompt expansion). */
  evaluates?: string;
}

/** Why arithmetic over `body` may run code: any name or expansion in it can carry an array subscript with `$(...)`. */
export function arithmeticHazard(body: string): string | undefined {
  return /[A-Za-z_$`[\\]/.test(body)
    ? 'bash evaluates names in arithmetic, whose array subscripts can run commands'
    : undefined;
}

/** One redirection of a command, e.g. `2>` `err.log`. */
export interface ShellRedirect {
  op: string;
  fd?: string;
  target: ShellWord;
  /** A here-document's text (filled in when its body has been read). */
  body?: string;
  /** The here-document expands `$` and backticks (its delimiter is unquoted and the body uses them). */
  bodyDynamic?: boolean;
}

const METACHARS = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** Whether `c` ends an unquoted word. */
export function isMeta(c: string | undefined): boolean {
  return c === undefined || METACHARS.has(c);
}

/**
 * Character-level half of the shell parser: blanks, comments and words with quoting and expansions.
 * Command substitutions are handed to the grammar (`parseSubstitution`), so commands inside words are found too.
 */
export abstract class ShellScanner {
  pos = 0;
  /** Set while scanning a word when bash would evaluate part of it as code. */
  protected evaluates: string | undefined;

  constructor(readonly src: string) {}

  /** Parses the command list of `$( ... )` / `<( ... )` up to (not including) its closing `)`. */
  protected abstract parseSubstitution(): void;
  /** Parses the separate script inside backticks. */
  protected abstract parseBacktick(inner: string): void;

  protected fail(problem: string): never {
    throw new ShellSyntaxError(this.pos, problem);
  }

  protected peek(n = 0): string | undefined {
    return this.src[this.pos + n];
  }

  protected startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  protected eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** Skips spaces, tabs and line continuations (not newlines). */
  protected skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  protected skipComment(): void {
    if (this.peek() !== '#') return;
    while (!this.eof() && this.peek() !== '\n') this.pos++;
  }

  /** The plain literal at the cursor if it stands alone as a word (used for reserved words), else undefined. */
  protected peekLiteral(): string | undefined {
    let end = this.pos;
    while (end < this.src.length && !isMeta(this.src[end]) && !`'"\\$\``.includes(this.src[end] ?? '')) end++;
    if (end === this.pos || !isMeta(this.src[end])) return undefined;
    return this.src.slice(this.pos, end);
  }

  /** Scans one word at the cursor; the caller has checked that a word starts here. */
  protected scanWord(): ShellWord {
    const saved = this.evaluates;
    this.evaluates = undefined;
    try {
      const word = this.scanWordBody();
      if (this.evaluates !== undefined) word.evaluates = this.evaluates;
      return word;
    } finally {
      this.evaluates = saved;
    }
  }

  private scanWordBody(): ShellWord {
    const start = this.pos;
    let value = '';
    let dynamic = false;
    let unquoted = '';
    while (!this.eof()) {
      const c = this.peek() ?? '';
      if ((c === '<' || c === '>') && this.peek(1) === '(') {
        const from = this.pos;
        this.pos += 2;
        this.parseSubstitution();
        this.expect(')');
        value += this.src.slice(from, this.pos);
        dynamic = true;
        continue;
      }
      if (isMeta(c)) break;
      if (c === '\\') {
        if (this.peek(1) === '\n') this.pos += 2;
        else {
          value += this.peek(1) ?? '';
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) this.fail('unterminated single quote');
        value += this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else if (c === '$' && this.peek(1) === "'") {
        const from = this.pos;
        this.pos += 2;
        while (!this.eof() && this.peek() !== "'") this.pos += this.peek() === '\\' ? 2 : 1;
        if (this.eof()) this.fail("unterminated $'...' string");
        this.pos++;
        const body = this.src.slice(from + 2, this.pos - 1);
        value += body;
        if (body.includes('\\')) dynamic = true; // ANSI-C escapes are not decoded here
      } else if (c === '"' || (c === '$' && this.peek(1) === '"')) {
        this.pos += c === '$' ? 2 : 1;
        const r = this.scanDquoted('"');
        value += r.value;
        dynamic ||= r.dynamic;
      } else if (c === '$' || c === '`') {
        const from = this.pos;
        if (this.scanExpansion()) dynamic = true;
        value += this.src.slice(from, this.pos);
      } else {
        if (c === '*' || c === '?') dynamic = true;
        unquoted += c;
        value += c;
        this.pos++;
      }
    }
    if (this.pos === start) this.fail(`unexpected ${JSON.stringify(this.peek() ?? 'end of input')}`);
    if (/\{[^{}]*(?:,|\.\.)[^{}]*\}/.test(unquoted)) dynamic = true; // brace expansion
    // `[...]` is a glob only when closed: a lone `[` (the test command) is a plain word.
    if (/\[[^\]]*\]/.test(unquoted)) dynamic = true;
    return { raw: this.src.slice(start, this.pos), value, dynamic };
  }

  /** Scans the inside of a double-quoted string (cursor after the opening quote) up to `end`, or to the end of input when `end` is null. */
  protected scanDquoted(end: '"' | null): { value: string; dynamic: boolean } {
    let value = '';
    let dynamic = false;
    for (;;) {
      if (this.eof()) {
        if (end === null) return { value, dynamic };
        this.fail('unterminated double quote');
      }
      const c = this.peek() ?? '';
      if (c === end) {
        this.pos++;
        return { value, dynamic };
      }
      if (c === '\\') {
        const n = this.peek(1) ?? '';
        if ('$`"\\\n'.includes(n) && n !== '') {
          if (n !== '\n') value += n;
          this.pos += 2;
        } else {
          value += c;
          this.pos++;
        }
      } else if (c === '$' || c === '`') {
        const from = this.pos;
        if (this.scanExpansion()) dynamic = true;
        value += this.src.slice(from, this.pos);
      } else {
        value += c;
        this.pos++;
      }
    }
  }

  /** Scans `$...` or a backtick substitution at the cursor; returns whether it expands at run time. */
  private scanExpansion(): boolean {
    if (this.peek() === '`') {
      let i = this.pos + 1;
      let inner = '';
      while (i < this.src.length && this.src[i] !== '`') {
        if (this.src[i] === '\\' && '`\\$'.includes(this.src[i + 1] ?? 'x')) i++;
        inner += this.src[i] ?? '';
        i++;
      }
      if (i >= this.src.length) this.fail('unterminated backtick');
      this.pos = i + 1;
      this.parseBacktick(inner);
      return true;
    }
    const n = this.peek(1);
    if (this.startsWith('$((')) {
      const body = this.scanBalanced(3, '(', ')');
      if (/\$\(|`/.test(body)) this.fail('command substitution inside arithmetic is not supported');
      if (!this.startsWith(')')) this.fail('unterminated $((');
      this.pos++;
      this.evaluates ??= arithmeticHazard(body);
      return true;
    }
    if (n === '[') {
      // `$[...]` is bash's old spelling of `$((...))`.
      const body = this.scanBalanced(2, '[', ']');
      this.evaluates ??= arithmeticHazard(body) ?? 'old-style arithmetic $[...]';
      return true;
    }
    if (n === '(') {
      this.pos += 2;
      this.parseSubstitution();
      this.expect(')');
      return true;
    }
    if (n === '{') {
      const body = this.scanBalanced(2, '{', '}');
      if (/\$\(|`|<\(|>\(/.test(body)) this.fail('command substitution inside ${...} is not supported');
      this.evaluates ??= parameterHazard(body);
      return true;
    }
    const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(this.src.slice(this.pos + 1));
    if (name === null) {
      this.pos++;
      return false;
    }
    this.pos += 1 + name[0].length;
    return true;
  }

  /** Skips `open`-balanced text after `skip` characters, returning the body and leaving the cursor after the final `close`. */
  private scanBalanced(skip: number, open: string, close: string): string {
    const from = this.pos + skip;
    let depth = 1;
    let i = from;
    for (; i < this.src.length && depth > 0; i++) {
      const c = this.src[i];
      if (c === '\\') i++;
      else if (c === open) depth++;
      else if (c === close) depth--;
    }
    if (depth > 0) this.fail(`unterminated ${open}`);
    this.pos = i;
    return this.src.slice(from, i - 1);
  }

  protected expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }
}

/**
 * Why a `${...}` body may run code or cannot be read the way bash reads it: indirection (`${!x}`), subscripts
 * (`${x[...]}`), transformations (`${x@P}` expands prompts, which runs substitutions), substring offsets
 * (arithmetic), and quotes or escapes inside (whose meaning differs between bash versions and this scanner).
 */
function parameterHazard(body: string): string | undefined {
  if (/['"\\]/.test(body)) return 'quoting inside ${...} that is not read the same way by every shell';
  if (body.startsWith('!') && body.length > 1)
    return 'indirect expansion ${!...} names a variable only known at run time';
  if (body.includes('[')) return 'an array subscript in ${...} is evaluated as arithmetic';
  if (/^[#]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])@/.test(body))
    return 'a ${...@op} transformation (e.g. @P runs substitutions)';
  const offset = /^#?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]):(?![-=?+])(.*)$/s.exec(body);
  if (offset !== null) return arithmeticHazard(offset[1] ?? '');
  return undefined;
}
