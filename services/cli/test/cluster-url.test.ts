import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('commands that talk to a cluster', () => {
  it.each([
    [['status']],
    [['watch', 'run-1']],
    [['approve', 'req-1', '--run', 'run-1']],
    [['submit', '--recipe', 'rename', '--from', 'a', '--to', 'b']],
    [['worker']],
    [['coordinator']],
    [['planner']],
  ])('baton %j without --nats or BATON_NATS_URL says what to set (exit 2)', async (args) => {
    const r = await runBaton(args);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain(`baton: ${args[0]} needs a Baton cluster`);
    expect(r.stderr).toContain('--nats <url>');
    expect(r.stderr).toContain('BATON_NATS_URL');
  });

  it('read BATON_NATS_URL when --nats is not given', async () => {
    const url = `nats://127.0.0.1:${await closedPort()}`;
    const r = await runBaton(['status'], { env: { BATON_NATS_URL: url }, timeoutMs: 30_000 });
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toContain(`cannot reach NATS at ${url}`);
  });
});
