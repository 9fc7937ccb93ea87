import type { Failure } from '@baton/protocol';

/** Formats a failure as `file:line: name: message`, the shape compilers print and models read best. */
export function formatFailure(f: Failure): string {
  const where = f.file === undefined ? '' : f.line === undefined ? `${f.file}: ` : `${f.file}:${f.line}: `;
  const name = f.name === undefined ? '' : `${f.name}: `;
  return `${where}${name}${f.message}`;
}
