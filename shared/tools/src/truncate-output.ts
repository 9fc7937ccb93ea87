/**
 * Caps text at `limit` characters, keeping its head and tail around a
 * `[… N characters truncated …]` marker (the tail usually holds the error that matters).
 */
export function truncateOutput(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const budget = Math.max(limit - 40, 0);
  const head = Math.ceil(budget / 2);
  const tail = budget - head;
  const dropped = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${dropped} characters truncated …]\n${tail > 0 ? text.slice(text.length - tail) : ''}`;
}
