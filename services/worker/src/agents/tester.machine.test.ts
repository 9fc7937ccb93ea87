import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createActor, toPromise } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../test/temp-repo.js';
import { testerMachine, type TesterInput, type TesterOutput } from './tester.machine.js';

const require = createRequire(import.meta.url);
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const tscBin = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({
    'package.json': '{ "type": "module" }\n',
    'math.test.js': [
      "import { test, expect } from 'vitest';",
      "test('adds', () => { expect(1 + 1).toBe(2); });",
      "test('fails', () => { expect(1 + 1).toBe(3); });",
      "test('skipped', { skip: true }, () => {});",
      '',
    ].join('\n'),
    'node/math.node.mjs': [
      "import { test, describe } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "test('adds', () => { assert.equal(1 + 1, 2); });",
      "test('fails', () => { assert.equal(1 + 1, 3); });",
      "test('skipped', { skip: true }, () => {});",
      "describe('group', () => {",
      "  test('inner ok', () => {});",
      "  test('inner bad', () => { throw new Error('boom inside'); });",
      '});',
      '',
    ].join('\n'),
    'bad.ts': "export const n: number = 'one';\n",
    // The global types tsc insists on, so `--noLib` skips parsing the real lib (seconds on a busy machine).
    'mini-lib.d.ts': [
      'Array<T> { length: number }',
      'Boolean {}',
      'Function {}',
      'IArguments {}',
      'Number {}',
      'Object {}',
      'RegExp {}',
      'String {}',
    ]
      .map((i) => `interface ${i}`)
      .join('\n'),
  });
});

afterAll(() => repo.remove());

async function test(commands: string[], extra: Partial<TesterInput> = {}): Promise<TesterOutput> {
  const input: TesterInput = {
    commands,
    cwd: repo.dir,
    authorize: () => Promise.resolve({ allowed: true, reason: 'test' }),
    timeoutMs: 60_000,
    retryFailed: false,
    ...extra,
  };
  const actor = createActor(testerMachine, { input });
  actor.start();
  return toPromise(actor);
}

describe('testerMachine', () => {
  it("reads vitest's JSON report", async () => {
    const out = await test([`node ${vitestBin} run --reporter=json --root . math.test.js`]);
    expect(out).toMatchObject({ ok: false, stop: 'tests_failed' });
    expect(out.report).toMatchObject({ format: 'vitest-json', passed: 1, failed: 1, skipped: 1 });
    expect(out.report.failures).toHaveLength(1);
    expect(out.report.failures[0]!.name).toBe('fails');
    expect(out.report.failures[0]!.file).toMatch(/math\.test\.js$/);
    expect(out.report.failures[0]!.message).toContain('expected 2 to be 3');
  });

  it('reads node:test TAP, counting leaves and not the suite that repeats them', async () => {
    const out = await test(['node --test --test-reporter=tap node/math.node.mjs']);
    expect(out.report).toMatchObject({ format: 'tap', passed: 2, failed: 2, skipped: 1 });
    expect(out.report.failures.map((f) => [f.name, f.line])).toEqual([
      ['fails', 4],
      ['inner bad', 8],
    ]);
    expect(out.report.failures[0]!.file).toMatch(/math\.node\.mjs$/);
    expect(out.report.failures[0]!.message).toContain('Expected values to be strictly equal');
    expect(out.report.failures[1]!.message).toBe('boom inside');
  });

  it("reads tsc's diagnostics", async () => {
    const out = await test([`node ${tscBin} --noEmit --noLib mini-lib.d.ts bad.ts`]);
    expect(out.report).toMatchObject({ format: 'tsc', passed: 0, failed: 1 });
    expect(out.report.failures[0]).toMatchObject({ file: 'bad.ts', line: 1, name: 'TS2322' });
    expect(out.report.failures[0]!.message).toContain("Type 'string' is not assignable to type 'number'");
  });

  it("reads pytest's summary", async () => {
    const pytest = [
      '============================= test session starts ==============================',
      'collected 3 items',
      '',
      'test_a.py .F.                                                            [100%]',
      '',
      '=========================== short test summary info ============================',
      'FAILED test_a.py::TestMath::test_two - assert 1 == 2',
      '==================== 1 failed, 2 passed, 1 skipped in 0.03s ====================',
    ];
    const out = await test([`printf '%s\\n' ${pytest.map((l) => `'${l}'`).join(' ')}; exit 1`]);
    expect(out.report).toMatchObject({ format: 'pytest', passed: 2, failed: 1, skipped: 1 });
    expect(out.report.failures).toEqual([{ file: 'test_a.py', name: 'TestMath::test_two', message: 'assert 1 == 2' }]);
  });

  it('falls back to the exit code', async () => {
    const out = await test(['true', 'echo broken >&2; exit 3']);
    expect(out).toMatchObject({ ok: false, stop: 'tests_failed' });
    expect(out.report).toMatchObject({ format: 'exit-code', passed: 1, failed: 1 });
    expect(out.report.failures[0]!.message).toMatch(/exit code 3: broken/);
    expect(out.commands.map((c) => c.exitCode)).toEqual([0, 3]);
  });

  it('retries a failing command and flags a pass on the retry as flaky', async () => {
    const out = await test(['if [ -f .ran-once ]; then exit 0; else touch .ran-once; exit 1; fi'], {
      retryFailed: true,
    });
    expect(out).toMatchObject({ ok: true, stop: 'completed' });
    expect(out.report).toMatchObject({ failed: 0, flaky: 1 });
    expect(out.commands.map((c) => c.exitCode)).toEqual([1, 0]);
  });

  it('never runs a denied command', async () => {
    const out = await test(['touch denied-ran'], {
      authorize: () => Promise.resolve({ allowed: false, reason: 'Bash(touch:*) is denied' }),
    });
    expect(out).toMatchObject({ ok: false, stop: 'tests_failed' });
    expect(out.commands[0]).toMatchObject({ exitCode: null, stderr: 'permission denied: Bash(touch:*) is denied' });
    expect(existsSync(join(repo.dir, 'denied-ran'))).toBe(false);
  });
});
