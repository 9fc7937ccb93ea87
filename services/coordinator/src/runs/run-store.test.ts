import { emptyUsage, type Run } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import { cloneRun } from './run-store.js';

const run = (): Run => ({
  v: 1,
  id: 'r1',
  spec: { v: 1, task: 't', repo: { path: '/repo' }, limits: {} } as unknown as Run['spec'],
  status: 'running',
  trustedCommands: ['npm test'],
  subtasks: {
    a: { status: 'dispatched', attempt: 1, conflicts: 0, filesChanged: 0, usage: emptyUsage(), updatedAt: 1 },
    b: { status: 'pending', attempt: 0, conflicts: 0, filesChanged: 0, usage: emptyUsage(), updatedAt: 1 },
  },
  usage: emptyUsage(),
  createdAt: 1,
  updatedAt: 1,
});

describe('cloneRun', () => {
  it('gives a copy whose run and subtask fields a change may assign without touching the original', () => {
    const original = run();
    const before = structuredClone(original);
    const copy = cloneRun(original);
    copy.status = 'succeeded';
    copy.headCommit = 'a'.repeat(40);
    Object.assign(copy.subtasks.a!, { status: 'merged', attempt: 2, filesChanged: 3 });
    copy.subtasks.b!.status = 'failed';
    copy.subtasks.c = { ...copy.subtasks.b!, status: 'pending' };
    copy.subtasks.a!.usage = { ...copy.subtasks.a!.usage, inputTokens: 10 };
    expect(original).toEqual(before);
    expect(copy.subtasks.a).toMatchObject({ status: 'merged', attempt: 2, filesChanged: 3 });
    // Nested values are shared, not copied: changes replace them.
    expect(copy.spec).toBe(original.spec);
  });
});
