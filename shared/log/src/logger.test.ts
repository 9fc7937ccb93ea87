import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withContext } from './index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with run context and redacts secrets by path', () => {
    const { lines, stream } = capture();
    const log = withContext(createLogger({ name: 'test', destination: stream, level: 'info' }), {
      runId: 'r1',
      subtaskId: 's1',
      workerId: undefined,
    });
    log.info(
      { apiKey: 'sk-ant-secret', headers: { authorization: 'Bearer abc', 'x-api-key': 'k' }, req: { token: 't' } },
      'calling',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ name: 'test', runId: 'r1', subtaskId: 's1', msg: 'calling' });
    expect(line).not.toHaveProperty('workerId');
    const text = JSON.stringify(line);
    for (const secret of ['sk-ant-secret', 'Bearer abc', '"k"', '"t"']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
