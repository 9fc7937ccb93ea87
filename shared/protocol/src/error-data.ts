import { z } from 'zod';

/** An error as it crosses the bus: data, never a thrown object. */
export const ErrorData = z.strictObject({
  name: z.string().min(1),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
/** An error as it crosses the bus. */
export type ErrorData = z.infer<typeof ErrorData>;

/** Converts anything thrown into ErrorData (name and message kept; fields of named errors kept as data). */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof Error) {
    const data: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(err)) {
      if (k !== 'cause' && k !== 'stack' && isJsonish(val)) data[k] = val;
    }
    return Object.keys(data).length > 0
      ? { name: err.name, message: err.message, data }
      : { name: err.name, message: err.message };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err)) };
}

function isJsonish(v: unknown): boolean {
  const t = typeof v;
  return v === null || t === 'string' || t === 'number' || t === 'boolean' || (t === 'object' && !(v instanceof Error));
}
