import { describe, expect, it } from 'vitest';
import { Result, WorkItem, emptyUsage } from '@baton/protocol';
import { toResult } from './to-result.js';

const item = WorkItem.parse({
  v: 1,
  runId: 'run-r',
  attempt: 3,
  subtask: { id: 'edit-a', kind: 'editor', title: 'edit a' },
  baseCommit: 'b'.repeat(40),
  repo: { kind: 'local', path: '/nowhere' },
  policy: {},
  issuedAt: Date.now(),
});

describe('toResult', () => {
  it("stamps the item's ids, the worker and the timings, and fills what the agent did not produce", () => {
    const before = Date.now();
    const result = toResult(item, 'w-1', before - 5, { ok: false, stop: 'cancelled' });
    expect(Result.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      v: 1,
      runId: 'run-r',
      subtaskId: 'edit-a',
      attempt: 3,
      workerId: 'w-1',
      baseCommit: 'b'.repeat(40),
      ok: false,
      stop: 'cancelled',
      diff: '',
      filesChanged: [],
      commands: [],
      usage: emptyUsage(),
      summary: '',
      startedAt: before - 5,
    });
    expect(result.finishedAt).toBeGreaterThanOrEqual(before);
    for (const absent of ['error', 'testReport', 'diffRef']) expect(result).not.toHaveProperty(absent);
  });

  it("keeps the agent's diff, files, report, commands, usage, summary and error", () => {
    const usage = { ...emptyUsage(), inputTokens: 10, outputTokens: 2, modelCalls: 1 };
    const testReport = { passed: 1, failed: 0, skipped: 0, flaky: 0, failures: [], format: 'exit-code' as const };
    const commands = [
      { command: 'true', exitCode: 0, stdout: '', stderr: '', truncated: false, timedOut: false, durationMs: 1 },
    ];
    const result = toResult(item, 'w-1', Date.now(), {
      ok: true,
      stop: 'end_turn',
      diff: 'diff --git a/x b/x\n',
      diffRef: { bucket: 'baton-diffs', object: 'o', bytes: 9 },
      files: ['x'],
      testReport,
      commands,
      usage,
      summary: 'did it',
      error: { name: 'Oops', message: 'kept' },
    });
    expect(Result.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      diff: 'diff --git a/x b/x\n',
      diffRef: { bucket: 'baton-diffs', object: 'o', bytes: 9 },
      filesChanged: ['x'],
      testReport,
      commands,
      usage,
      summary: 'did it',
      error: { name: 'Oops', message: 'kept' },
    });
  });
});
