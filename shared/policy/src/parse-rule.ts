import { RuleSyntaxError } from './errors.js';

/** A permission rule split into its tool and optional specifier, e.g. `Bash(npm test:*)` -> `{ tool: 'Bash', specifier: 'npm test:*' }`. */
export interface ParsedRule {
  tool: string;
  specifier?: string;
}

const RULE = /^([A-Z][A-Za-z]*)(?:\((.*)\))?$/s;

/**
 * Parses a rule in Claude Code's syntax, throwing `RuleSyntaxError` when it is malformed.
 * @example parseRule('Bash(git push:*)') // { tool: 'Bash', specifier: 'git push:*' }
 */
export function parseRule(text: string): ParsedRule {
  const m = RULE.exec(text.trim());
  if (m === null) throw new RuleSyntaxError(text, 'must look like Tool or Tool(specifier), e.g. Bash(npm test:*)');
  const tool = m[1] ?? '';
  const specifier = m[2];
  if (specifier === undefined) return { tool };
  if (specifier.trim() === '')
    throw new RuleSyntaxError(
      text,
      'the specifier in parentheses is empty; write just the tool name to match every use',
    );
  if (tool === 'Bash') {
    const colon = specifier.indexOf(':*');
    if (colon !== -1 && colon !== specifier.length - 2)
      throw new RuleSyntaxError(text, '":*" may only end a Bash specifier (a prefix rule)');
    splitRuleWords(text, colon === -1 ? specifier : specifier.slice(0, -2));
  }
  return { tool, specifier };
}

/** Splits a Bash rule specifier into words with shell-like quoting; throws on unbalanced quotes. */
export function splitRuleWords(rule: string, spec: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i] ?? '';
    if (c === "'" || c === '"') {
      const end = spec.indexOf(c, i + 1);
      if (end === -1) throw new RuleSyntaxError(rule, `unbalanced ${c} in the specifier`);
      cur += spec.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '\\' && i + 1 < spec.length) {
      cur += spec[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  if (words.length === 0) throw new RuleSyntaxError(rule, 'the command in the specifier is empty');
  return words;
}
