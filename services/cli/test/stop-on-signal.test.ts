import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./stop-on-signal-process.ts', import.meta.url));

/** Runs the fixture, sending it SIGTERM, then SIGINT while its stop runs, then letting the stop finish. */
async function shutDown(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@baton/source', script, ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const steps: [string, NodeJS.Signals][] = [
    ['ready\n', 'SIGTERM'],
    ['stopping on SIGTERM\n', 'SIGINT'],
    ['saw SIGINT\n', 'SIGUSR2'],
  ];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    while (steps.length > 0 && out.includes(steps[0]![0])) child.kill(steps.shift()![1]);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s])),
  );
  return { code, signal, out };
}

describe('stopOnSignal, the shutdown of the service processes', () => {
  it('stops once on the first signal, ignores a second one meanwhile, and resolves with the first', async () => {
    const r = await shutDown([]);
    expect({ code: r.code, signal: r.signal }, r.out).toEqual({ code: 0, signal: null });
    expect(r.out).toContain('stopped SIGTERM after 1 stop(s)\n');
  });

  it('rejects with the error of a stop that fails', async () => {
    const r = await shutDown(['fail']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('failed: stop failed on purpose\n');
  });
});
