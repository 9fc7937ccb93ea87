import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';

// The commands the README promises.
const COMMANDS = [
  'run',
  'demo',
  'submit',
  'status',
  'watch',
  'cancel',
  'logs',
  'approve',
  'deny',
  'worker',
  'coordinator',
  'planner',
];

describe('baton usage', () => {
  it('--help lists every command', async () => {
    const r = await runBaton(['--help']);
    expect(r.code, describeResult(r)).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}(\w+)\b/gm)].map((m) => m[1]);
    for (const name of COMMANDS) expect(listed, r.stdout).toContain(name);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const r = await runBaton(['--version']);
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('an unknown command suggests the nearest one and exits 2', async () => {
    const r = await runBaton(['stauts']);
    expect(r.code, describeResult(r)).toBe(2);
    expect(r.stderr).toContain("unknown command 'stauts'");
    expect(r.stderr).toContain('Did you mean status?');
  });

  it('usage errors exit 2 and name the flag', async () => {
    const unknownOption = await runBaton(['run', '--frobnicate']);
    expect(unknownOption.code, describeResult(unknownOption)).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");

    const badNumber = await runBaton(['demo', '--files', '0']);
    expect(badNumber.code, describeResult(badNumber)).toBe(2);
    expect(badNumber.stderr).toContain('--files must be a positive whole number, got "0"');

    const noNats = await runBaton(['status']);
    expect(noNats.code, describeResult(noNats)).toBe(2);
    expect(noNats.stderr).toContain('--nats <url>');
  });
});
