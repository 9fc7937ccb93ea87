import { ShellScanner, arithmeticHazard, isMeta } from './shell-scanner.js';
import type { ShellRedirect, ShellWord } from './shell-scanner.js';

/** A simple command found anywhere in a script, in source order of completion. */
export interface ParsedCommand {
  words: ShellWord[];
  assigns: ShellWord[];
  redirects: ShellRedirect[];
  text: string;
  /** True when its stdin comes from a pipe (a later element of a pipeline, or inside one). */
  stdinPipe: boolean;
}

/** Everything the grammar found: every simple command and the number of top-level statements. */
export interface ParsedScript {
  commands: ParsedCommand[];
  statements: number;
}

const REDIRECT = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(&>>|&>|<<<|<<-|<<|<>|<&|>>|>\||>&|<|>)/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const MAX_DEPTH = 12;

interface Heredoc {
  delim: string;
  quoted: boolean;
  stripTabs: boolean;
  redirect: ShellRedirect;
}

const TEST_ARITHMETIC = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-v', '-R']);

/**
 * Recursive-descent parser for the bash grammar that matters to permissions: lists, pipelines, subshells,
 * groups, if/for/while/until/case, functions, `[[ ]]`, `(( ))`, redirections, here-documents and substitutions.
 * sh-syntax validates the script first; this parser only has to find the commands in valid input.
 */
export class ShellParser extends ShellScanner {
  private heredocs: Heredoc[] = [];
  private stdinPipe = false;

  constructor(
    src: string,
    private readonly out: ParsedCommand[] = [],
    private readonly depth = 0,
  ) {
    super(src);
    if (depth > MAX_DEPTH) this.fail('commands nested too deeply');
  }

  /** Parses the whole input. */
  parseScript(): ParsedScript {
    let statements = 0;
    this.skipLinebreaks();
    while (!this.eof()) {
      this.parseAndOr();
      statements++;
      if (!this.separator() && !this.eof()) this.fail(`unexpected ${JSON.stringify(this.peek())}`);
      this.skipLinebreaks();
    }
    return { commands: this.out, statements };
  }

  protected parseSubstitution(): void {
    const saved = this.stdinPipe;
    // `>(cmd)` feeds cmd what the outer command writes: its stdin is a pipe (so `>(sh)` runs piped input).
    this.stdinPipe = this.src[this.pos - 2] === '>';
    this.parseList(() => this.peek() === ')');
    this.stdinPipe = saved;
  }

  protected parseBacktick(inner: string): void {
    new ShellParser(inner, this.out, this.depth + 1).parseScript();
  }

  private newline(): void {
    this.pos++;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) this.readHeredoc(h);
  }

  private readHeredoc(h: Heredoc): void {
    let body = '';
    while (!this.eof()) {
      const nl = this.src.indexOf('\n', this.pos);
      const lineEnd = nl === -1 ? this.src.length : nl;
      const line = this.src.slice(this.pos, lineEnd);
      this.pos = nl === -1 ? lineEnd : lineEnd + 1;
      if ((h.stripTabs ? line.replace(/^\t+/, '') : line) === h.delim) break;
      body += line + '\n';
    }
    h.redirect.body = body;
    if (!h.quoted && /[$`]/.test(body)) {
      h.redirect.bodyDynamic = true;
      const inner = new ShellParser(body, this.out, this.depth + 1);
      inner.scanDquoted(null);
    }
  }

  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      this.skipComment();
      if (this.peek() === '\n') this.newline();
      else return;
    }
  }

  /** Consumes `;`, `&` or a newline ending a statement; false when none is there. */
  private separator(): boolean {
    this.skipBlanks();
    this.skipComment();
    const c = this.peek();
    if (c === '\n') {
      this.newline();
      return true;
    }
    if ((c === ';' && this.peek(1) !== ';' && this.peek(1) !== '&') || (c === '&' && this.peek(1) !== '&')) {
      this.pos++;
      return true;
    }
    return false;
  }

  private parseList(stop: () => boolean): void {
    this.skipLinebreaks();
    while (!this.eof() && !stop()) {
      this.parseAndOr();
      if (!this.separator()) break;
      this.skipLinebreaks();
    }
    this.skipLinebreaks();
  }

  private stopAt(...words: string[]): () => boolean {
    return () => words.includes(this.peekLiteral() ?? '');
  }

  private expectWord(word: string): void {
    this.skipLinebreaks();
    if (this.peekLiteral() !== word) this.fail(`expected "${word}"`);
    this.pos += word.length;
  }

  private parseAndOr(): void {
    this.parsePipeline();
    for (;;) {
      this.skipBlanks();
      if (!this.startsWith('&&') && !this.startsWith('||')) return;
      this.pos += 2;
      this.skipLinebreaks();
      this.parsePipeline();
    }
  }

  private parsePipeline(): void {
    this.skipBlanks();
    for (;;) {
      const w = this.peekLiteral();
      if (w === '!') this.pos++;
      else if (w === 'time') {
        this.pos += 4;
        this.skipBlanks();
        if (this.peekLiteral() === '-p') this.pos += 2;
      } else break;
      this.skipBlanks();
    }
    const outer = this.stdinPipe;
    this.parseCommand();
    for (;;) {
      this.skipBlanks();
      if (this.peek() !== '|' || this.peek(1) === '|') break;
      this.pos += this.peek(1) === '&' ? 2 : 1;
      this.skipLinebreaks();
      this.stdinPipe = true;
      this.parseCommand();
      this.stdinPipe = outer;
    }
  }

  private parseCommand(): void {
    this.skipBlanks();
    const start = this.pos;
    const w = this.peekLiteral();
    if (this.startsWith('((')) {
      this.pos += 2;
      const end = this.src.indexOf('))', this.pos);
      if (end === -1) this.fail('unterminated ((');
      const body = this.src.slice(this.pos, end);
      if (/\$\(|`/.test(body)) this.fail('command substitution inside (( )) is not supported');
      this.pos = end + 2;
      const word = lit(body, true);
      const hazard = arithmeticHazard(body);
      if (hazard !== undefined) word.evaluates = hazard;
      this.emit(start, [lit('(('), word, lit('))')], [], []);
      return this.trailingRedirects(start);
    }
    if (this.peek() === '(') {
      this.pos++;
      this.parseList(() => this.peek() === ')');
      this.expect(')');
      return this.trailingRedirects(start);
    }
    switch (w) {
      case '{':
        this.pos++;
        this.parseList(this.stopAt('}'));
        this.expectWord('}');
        return this.trailingRedirects(start);
      case 'if':
        this.pos += 2;
        this.parseList(this.stopAt('then'));
        this.expectWord('then');
        this.parseList(this.stopAt('elif', 'else', 'fi'));
        while (this.peekLiteral() === 'elif') {
          this.pos += 4;
          this.parseList(this.stopAt('then'));
          this.expectWord('then');
          this.parseList(this.stopAt('elif', 'else', 'fi'));
        }
        if (this.peekLiteral() === 'else') {
          this.pos += 4;
          this.parseList(this.stopAt('fi'));
        }
        this.expectWord('fi');
        return this.trailingRedirects(start);
      case 'while':
      case 'until':
        this.pos += w.length;
        this.parseList(this.stopAt('do'));
        return this.doDone(start);
      case 'for':
      case 'select':
        this.pos += w.length;
        this.parseForHead();
        return this.doDone(start);
      case 'case':
        return this.parseCase(start);
      case 'function':
        this.pos += w.length;
        this.skipBlanks();
        this.scanWord();
        this.skipBlanks();
        if (this.startsWith('()')) this.pos += 2;
        this.skipLinebreaks();
        return this.parseCommand();
      case '[[':
        return this.parseTest(start);
      case 'then':
      case 'elif':
      case 'else':
      case 'fi':
      case 'do':
      case 'done':
      case 'esac':
      case '}':
      case 'in':
        this.fail(`unexpected "${w}"`);
    }
    this.parseSimple(start);
  }

  private doDone(start: number): void {
    this.separator();
    this.skipLinebreaks();
    const w = this.peekLiteral();
    if (w === '{') {
      this.parseCommand();
      return;
    }
    this.expectWord('do');
    this.parseList(this.stopAt('done'));
    this.expectWord('done');
    this.trailingRedirects(start);
  }

  private parseForHead(): void {
    this.skipBlanks();
    if (this.startsWith('((')) {
      const from = this.pos;
      const end = this.src.indexOf('))', this.pos);
      if (end === -1) this.fail('unterminated ((');
      const body = this.src.slice(this.pos + 2, end);
      if (/\$\(|`/.test(body)) this.fail('command substitution inside for (( )) is not supported');
      this.pos = end + 2;
      this.detached(from, { raw: body, value: body, dynamic: true, evaluates: arithmeticHazard(body) });
      return;
    }
    this.detachedWord();
    this.skipLinebreaks();
    if (this.peekLiteral() !== 'in') return;
    this.pos += 2;
    for (;;) {
      this.skipBlanks();
      if (isMeta(this.peek())) return;
      this.detachedWord();
    }
  }

  /** Scans a word that is not part of a command (a for list, a case subject or pattern) and keeps what it evaluates. */
  private detachedWord(): void {
    const from = this.pos;
    this.detached(from, this.scanWord());
  }

  /** Runs no command of its own, so a wordless part carries what the word evaluates at run time. */
  private detached(from: number, word: ShellWord): void {
    if (word.evaluates === undefined) return;
    this.emit(from, [lit('(('), word, lit('))')], [], []);
  }

  private parseCase(start: number): void {
    this.pos += 4;
    this.skipBlanks();
    this.detachedWord();
    this.expectWord('in');
    this.skipLinebreaks();
    while (this.peekLiteral() !== 'esac') {
      if (this.eof()) this.fail('unterminated case');
      if (this.peek() === '(') this.pos++;
      for (;;) {
        this.skipBlanks();
        this.detachedWord();
        this.skipBlanks();
        if (this.peek() !== '|') break;
        this.pos++;
      }
      this.expect(')');
      this.parseList(() => this.startsWith(';;') || this.startsWith(';&') || this.peekLiteral() === 'esac');
      if (this.startsWith(';;&')) this.pos += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
      this.skipLinebreaks();
    }
    this.pos += 4;
    this.trailingRedirects(start);
  }

  private parseTest(start: number): void {
    this.pos += 2;
    const words = [lit('[[')];
    for (;;) {
      this.skipBlanks();
      if (this.eof()) this.fail('unterminated [[');
      if (this.peekLiteral() === ']]') {
        this.pos += 2;
        break;
      }
      const op = /^(&&|\|\||[<>()!]|\n)/.exec(this.src.slice(this.pos));
      if (op !== null) {
        this.pos += op[0].length;
        words.push(lit(op[0]));
      } else words.push(this.scanWord());
    }
    words.push(lit(']]'));
    if (words.some((w) => TEST_ARITHMETIC.has(w.value))) {
      const first = words[1];
      if (first !== undefined) first.evaluates ??= '[[ ]] evaluates the operands of -eq/-lt/... and -v as arithmetic';
    }
    this.emit(start, words, [], []);
    this.trailingRedirects(start);
  }

  /** Redirections after a compound command apply to all of it: they become a command with no words. */
  private trailingRedirects(start: number): void {
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (r === undefined) break;
      redirects.push(r);
    }
    if (redirects.length > 0) this.emit(start, [], [], redirects);
  }

  private tryRedirect(): ShellRedirect | undefined {
    const m = REDIRECT.exec(this.src.slice(this.pos, this.pos + 40));
    if (m === null) return undefined;
    const op = m[2] ?? '';
    if ((op === '<' || op === '>') && this.src[this.pos + m[0].length] === '(') return undefined;
    this.pos += m[0].length;
    this.skipBlanks();
    const procSub = (this.peek() === '<' || this.peek() === '>') && this.peek(1) === '(';
    if (isMeta(this.peek()) && !procSub) this.fail(`missing target after ${op}`);
    const target = this.scanWord();
    const redirect: ShellRedirect = m[1] === undefined ? { op, target } : { op, fd: m[1], target };
    if (op === '<<' || op === '<<-') {
      this.heredocs.push({
        delim: target.value,
        quoted: target.raw !== target.value || target.raw.includes('\\'),
        stripTabs: op === '<<-',
        redirect,
      });
    }
    return redirect;
  }

  private parseSimple(start: number): void {
    const words: ShellWord[] = [];
    const assigns: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '#') {
        this.skipComment();
        break;
      }
      const r = this.tryRedirect();
      if (r !== undefined) {
        redirects.push(r);
        continue;
      }
      const c = this.peek();
      if (isMeta(c) && !((c === '<' || c === '>') && this.peek(1) === '(')) break;
      const word = this.scanWord();
      if (words.length === 0 && ASSIGNMENT.test(word.raw)) {
        if (word.raw.endsWith('=') && this.peek() === '(') this.fail('array assignments are not supported');
        assigns.push(word);
        continue;
      }
      words.push(word);
      if (words.length === 1 && assigns.length === 0) {
        this.skipBlanks();
        if (this.startsWith('()')) {
          // `name() body` defines a function: its body's commands are what matter.
          this.pos += 2;
          this.skipLinebreaks();
          return this.parseCommand();
        }
      }
    }
    this.emit(start, words, assigns, redirects);
  }

  private emit(start: number, words: ShellWord[], assigns: ShellWord[], redirects: ShellRedirect[]): void {
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) this.fail('empty command');
    this.out.push({
      words,
      assigns,
      redirects,
      text: this.src.slice(start, this.pos).trim(),
      stdinPipe: this.stdinPipe,
    });
  }
}

function lit(value: string, dynamic = false): ShellWord {
  return { raw: value, value, dynamic };
}
