import { describe, expect, it } from 'vitest';
import { parseTestOutput } from './test-report-parsers.js';

const jestLike = (extra: Record<string, unknown>) =>
  JSON.stringify({
    numPassedTests: 1,
    numFailedTests: 1,
    numPendingTests: 0,
    testResults: [
      {
        name: '/r/a.test.ts',
        assertionResults: [
          { status: 'passed', title: 'a' },
          { status: 'failed', fullName: 'b', failureMessages: ['boom'], location: { line: 7 } },
        ],
      },
    ],
    ...extra,
  });

describe('parseTestOutput', () => {
  it('tells jest JSON from vitest JSON and reads a report with text around it', () => {
    const jest = parseTestOutput(
      `Running…\n${jestLike({ numRuntimeErrorTestSuites: 0, wasInterrupted: false })}\nDone in 2s.`,
      '',
      1,
    );
    expect(jest).toMatchObject({
      format: 'jest-json',
      passed: 1,
      failed: 1,
      failures: [{ file: '/r/a.test.ts', line: 7, name: 'b', message: 'boom' }],
    });
    expect(parseTestOutput(jestLike({}), '', 1).format).toBe('vitest-json');
  });

  it("reads pytest -q's summary without rules", () => {
    const out = 'F..\nFAILED t.py::test_x - ZeroDivisionError\n1 failed, 2 passed, 2 errors in 0.20s\n';
    expect(parseTestOutput(out, '', 1)).toMatchObject({
      format: 'pytest',
      passed: 2,
      failed: 3,
      failures: [{ file: 't.py', name: 'test_x', message: 'ZeroDivisionError' }],
    });
  });

  it('counts TAP points when there is no summary', () => {
    const out =
      "TAP version 13\nok 1 - a\nnot ok 2 - b\n  ---\n  error: 'it broke'\n  ...\nok 3 - c # SKIP slow\n1..3\n";
    expect(parseTestOutput(out, '', 1)).toMatchObject({
      format: 'tap',
      passed: 1,
      failed: 1,
      skipped: 1,
      failures: [{ name: 'b', message: 'it broke' }],
    });
  });

  it('fails a clean report whose runner exited non-zero', () => {
    const report = parseTestOutput('1 passed in 0.01s\n', 'Segmentation fault', 139);
    expect(report).toMatchObject({ format: 'pytest', failed: 1 });
    expect(report.failures[0]!.message).toContain('exit code 139: Segmentation fault');
  });

  it('reads tsc --pretty style diagnostics', () => {
    const report = parseTestOutput(
      "src/a.ts:3:5 - error TS2304: Cannot find name 'x'.\n\n3     x;\n      ~\n\nFound 1 error.\n",
      '',
      2,
    );
    expect(report).toMatchObject({
      format: 'tsc',
      failed: 1,
      failures: [{ file: 'src/a.ts', line: 3, name: 'TS2304', message: "Cannot find name 'x'." }],
    });
  });
});
