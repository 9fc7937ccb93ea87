import { z } from 'zod';
import type { Failure, TestReport } from '@baton/protocol';

const MAX_FAILURES = 100;
const clip = (s: string, n = 2000) => (s.length > n ? `${s.slice(0, n)}…` : s);

// Jest and vitest `--reporter=json` share this shape; only the fields read are kept.
const JestJson = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number().optional(),
  numTodoTests: z.number().optional(),
  testResults: z.array(
    z.object({
      name: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({
          status: z.string(),
          fullName: z.string().optional(),
          title: z.string().optional(),
          failureMessages: z.array(z.string()).nullish(),
          location: z.object({ line: z.number() }).nullish(),
        }),
      ),
    }),
  ),
});

function jsonReport(stdout: string): TestReport | null {
  // Runners may print lines around the report: take the outermost braces.
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.slice(start, end + 1));
  } catch {
    return null; // not a JSON report: other parsers get their turn
  }
  const r = JestJson.safeParse(parsed);
  if (!r.success) return null;
  const failures: Failure[] = [];
  for (const file of r.data.testResults) {
    for (const a of file.assertionResults) {
      if (a.status !== 'failed') continue;
      failures.push({
        file: file.name,
        ...(a.location ? { line: a.location.line } : {}),
        name: a.fullName ?? a.title ?? '',
        message: clip((a.failureMessages ?? []).join('\n')),
      });
    }
    if (file.assertionResults.length === 0 && file.message)
      failures.push({ file: file.name, message: clip(file.message) });
  }
  // Jest's aggregated result has fields vitest's JSON reporter does not write.
  const jest =
    typeof parsed === 'object' &&
    parsed !== null &&
    ('numRuntimeErrorTestSuites' in parsed || 'wasInterrupted' in parsed);
  return {
    passed: r.data.numPassedTests,
    failed:
      r.data.numFailedTests + r.data.testResults.filter((f) => f.assertionResults.length === 0 && f.message).length,
    skipped: (r.data.numPendingTests ?? 0) + (r.data.numTodoTests ?? 0),
    flaky: 0,
    failures: failures.slice(0, MAX_FAILURES),
    format: jest ? 'jest-json' : 'vitest-json',
  };
}

const TEST_POINT = /^(\s*)(not )?ok \d+(?: - (.*?))?(\s+#\s*(SKIP|TODO)\b.*)?$/i;
const indentOf = (line: string) => line.length - line.trimStart().length;

/** The YAML diagnostic's `error` of a failing test point: a one-line value or a `|-` block. */
function tapError(block: readonly string[]): string | undefined {
  const i = block.findIndex((l) => /^\s*error:/.test(l));
  if (i < 0) return undefined;
  const inline = block[i]!.replace(/^\s*error:\s*/, '');
  if (!/^[|>]-?$/.test(inline)) return inline.replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
  const lines: string[] = [];
  for (let j = i + 1; j < block.length && (block[j]!.trim() === '' || indentOf(block[j]!) > indentOf(block[i]!)); j++)
    lines.push(block[j]!.trim());
  return lines.join('\n').trim();
}

function tapReport(stdout: string): TestReport | null {
  const lines = stdout.split('\n');
  if (!lines.some((l) => TEST_POINT.test(l))) return null;
  const failures: Failure[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let previousPointIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = TEST_POINT.exec(lines[i]!);
    if (!m) continue;
    // Subtests come before their parent (node:test, TAP 14): a point right after deeper points
    // is a parent repeating its children's verdict, not a test of its own.
    const isParent = previousPointIndent > m[1]!.length;
    previousPointIndent = m[1]!.length;
    if (isParent) continue;
    if (m[5]) skipped++;
    else if (m[2]) {
      failed++;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length && !TEST_POINT.test(lines[j]!); j++) block.push(lines[j]!);
      const text = block.join('\n');
      const loc = /location:\s*'?(?:file:\/\/)?([^:'\n]+):(\d+)/.exec(text);
      failures.push({
        name: m[3] ?? '',
        ...(loc ? { file: loc[1]!, line: Number(loc[2]) } : {}),
        message: clip(tapError(block) ?? 'failed'),
      });
    } else passed++;
  }
  const summary = (word: string) => {
    const hit = new RegExp(`^# ${word} (\\d+)`, 'm').exec(stdout);
    return hit ? Number(hit[1]) : undefined;
  };
  return {
    passed: summary('pass') ?? passed,
    failed: summary('fail') ?? failed,
    skipped: summary('skipped') !== undefined ? summary('skipped')! + (summary('todo') ?? 0) : skipped,
    flaky: 0,
    failures: failures.slice(0, MAX_FAILURES),
    format: 'tap',
  };
}

function pytestReport(stdout: string): TestReport | null {
  // `== 1 failed, 2 passed in 0.03s ==`, or the same without the rules under `-q`.
  const summary = [...stdout.matchAll(/^(?:=+ )?(\d+ [a-z]+(?:, \d+ [a-z]+)*) in [\d.]+s\b.*$/gm)]
    .filter((m) => /\b(?:passed|failed|errors?)\b/.test(m[1]!))
    .at(-1);
  if (!summary) return null;
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}\\b`).exec(summary[1]!)?.[1] ?? 0);
  const failures: Failure[] = [];
  for (const m of stdout.matchAll(/^(?:FAILED|ERROR) ([^\s:]+)(?:::(\S+))?(?: - (.*))?$/gm)) {
    failures.push({ file: m[1]!, ...(m[2] ? { name: m[2] } : {}), message: clip(m[3] ?? 'failed') });
  }
  return {
    passed: count('passed'),
    failed: count('failed') + count('errors?'),
    skipped: count('skipped'),
    flaky: 0,
    failures: failures.slice(0, MAX_FAILURES),
    format: 'pytest',
  };
}

function tscReport(output: string): TestReport | null {
  const failures: Failure[] = [];
  for (const m of output.matchAll(/^(.+?)(?:\((\d+),\d+\)|:(\d+):\d+) ?[:-] ?error (TS\d+): (.*)$/gm)) {
    failures.push({ file: m[1]!.trim(), line: Number(m[2] ?? m[3]), name: m[4]!, message: clip(m[5]!) });
  }
  if (failures.length === 0) return null;
  return {
    passed: 0,
    failed: failures.length,
    skipped: 0,
    flaky: 0,
    failures: failures.slice(0, MAX_FAILURES),
    format: 'tsc',
  };
}

/**
 * Reads a test/typecheck command's output into counts and failure excerpts: vitest/jest JSON,
 * node:test TAP, pytest's summary, tsc diagnostics; otherwise the exit code alone.
 */
export function parseTestOutput(stdout: string, stderr: string, exitCode: number | null): TestReport {
  const report = jsonReport(stdout) ?? tapReport(stdout) ?? pytestReport(stdout) ?? tscReport(`${stdout}\n${stderr}`);
  if (report) {
    // A runner that crashed after printing a clean report still failed.
    if (exitCode !== 0 && report.failed === 0)
      return {
        ...report,
        failed: 1,
        failures: [{ message: clip(`exit code ${exitCode}: ${stderr || stdout}`, 4000) }],
      };
    return report;
  }
  return exitCode === 0
    ? { passed: 1, failed: 0, skipped: 0, flaky: 0, failures: [], format: 'exit-code' }
    : {
        passed: 0,
        failed: 1,
        skipped: 0,
        flaky: 0,
        failures: [{ message: clip(`exit code ${exitCode ?? 'none'}: ${(stderr || stdout).slice(-4000)}`, 4000) }],
        format: 'exit-code',
      };
}
