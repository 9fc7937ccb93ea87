import { describe, expect, it } from 'vitest';
import { RuleSyntaxError, compilePolicy, parseRule } from './index.js';

describe('parseRule', () => {
  it('parses tools with and without specifiers', () => {
    expect(parseRule('Bash')).toEqual({ tool: 'Bash' });
    expect(parseRule('Bash(npm test:*)')).toEqual({ tool: 'Bash', specifier: 'npm test:*' });
    expect(parseRule('Edit(src/**)')).toEqual({ tool: 'Edit', specifier: 'src/**' });
  });

  it('throws RuleSyntaxError on malformed rules', () => {
    for (const bad of ['bash(ls)', 'Bash(', 'Bash()', 'Bash(npm:* test)', 'Bash("unbalanced)', '']) {
      expect(() => parseRule(bad), bad).toThrow(RuleSyntaxError);
    }
  });

  it('compilePolicy names the list and index of a bad rule', () => {
    expect(() => compilePolicy({ allow: ['Bash(ls)', 'Bash(a:*b)'] })).toThrow(/allow\[1\]/);
  });
});
