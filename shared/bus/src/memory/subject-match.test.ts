import { describe, expect, it } from 'vitest';
import { hasWildcard, subjectMatches } from './subject-match.js';

describe('subjectMatches', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.b', 'a.b.c', false],
    ['a.*.c', 'a.x.c', true],
    ['a.*.c', 'a.x.y.c', false],
    ['a.*', 'a', false],
    ['a.>', 'a.x', true],
    ['a.>', 'a.x.y.z', true],
    ['a.>', 'a', false],
    ['>', 'a.b', true],
    ['*.b.>', 'a.b.c', true],
    ['*.b.>', 'a.c.c', false],
    ['a.b>', 'a.b>', true],
  ])('%s vs %s -> %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });

  it('finds wildcard tokens only as whole tokens', () => {
    expect(hasWildcard('a.*.c')).toBe(true);
    expect(hasWildcard('a.>')).toBe(true);
    expect(hasWildcard('a.b*')).toBe(false);
  });
});
