/**
 * True when a NATS-style subject matches a pattern: `*` matches one token, a final `>` one or more.
 * @example subjectMatches('acme.jobs.*.done', 'acme.jobs.j1.done') // true
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return p.length === s.length;
}

/** True when the subject or pattern holds a wildcard token. */
export function hasWildcard(subject: string): boolean {
  return subject.split('.').some((t) => t === '*' || t === '>');
}
