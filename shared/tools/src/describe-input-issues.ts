import type { z } from 'zod';

/**
 * Turns schema issues into one line per wrong field, saying what the field should be and what
 * was sent, so the model can fix its call (not a zod dump).
 * @example describeInputIssues(result.error.issues, raw, ['command', 'path'])
 */
export function describeInputIssues(
  issues: readonly z.core.$ZodIssue[],
  rawInput: unknown,
  fields: readonly string[],
): string {
  return issues.map((issue) => `- ${describeIssue(issue, rawInput, fields)}`).join('\n');
}

function describeIssue(issue: z.core.$ZodIssue, rawInput: unknown, fields: readonly string[]): string {
  if (issue.path.length === 0 && issue.code === 'invalid_type') {
    return `the input must be a JSON object with the fields ${fields.join(', ')}; got ${show(rawInput)}`;
  }
  const field = fieldName(issue.path);
  const value = valueAt(rawInput, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `\`${field}\` is required (${article(issue.expected)})`;
      return `\`${field}\` must be ${article(issue.expected)}, got ${show(value)}`;
    case 'invalid_value':
      return `\`${field}\` must be one of ${issue.values.map((allowed) => JSON.stringify(allowed)).join(', ')}; got ${show(value)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `\`${key}\``).join(', ')}; the allowed fields are ${fields.join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return `\`${field}\` must not be empty`;
      if (issue.origin === 'array')
        return `\`${field}\` must have ${issue.exact ? 'exactly' : 'at least'} ${issue.minimum} items; got ${show(value)}`;
      return `\`${field}\` must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${issue.minimum}; got ${show(value)}`;
    case 'too_big':
      if (issue.origin === 'array')
        return `\`${field}\` must have ${issue.exact ? 'exactly' : 'at most'} ${issue.maximum} items; got ${show(value)}`;
      return `\`${field}\` must be at most ${issue.maximum}; got ${show(value)}`;
    case 'custom':
      return `\`${field}\` ${issue.message}`;
    default:
      return `\`${field}\`: ${issue.message}; got ${show(value)}`;
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return (
    path
      .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
      .join('') || '(input)'
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    int: 'an integer',
    array: 'an array',
    object: 'an object',
    string: 'a string',
    number: 'a number',
    boolean: 'a boolean (true or false)',
  };
  return names[expected] ?? expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text =
    typeof value === 'string'
      ? `the string ${JSON.stringify(value)}`
      : `${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value} ${JSON.stringify(value)}`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
