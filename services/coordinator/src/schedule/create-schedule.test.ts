import { describe, expect, it } from 'vitest';
import { createSchedule } from './create-schedule.js';
import {
  DependencyCycleError,
  DuplicateSubtaskError,
  InvalidTransitionError,
  UnknownDependencyError,
} from './errors.js';

describe('createSchedule', () => {
  it('names every unknown dependency, duplicate id and cycle', () => {
    expect(() =>
      createSchedule([
        { id: 'a', deps: ['x'] },
        { id: 'b', deps: ['a', 'y'] },
      ]),
    ).toThrow(
      expect.objectContaining({
        name: 'UnknownDependencyError',
        missing: [
          { id: 'a', dep: 'x' },
          { id: 'b', dep: 'y' },
        ],
      }),
    );
    expect(() =>
      createSchedule([
        { id: 'a', deps: [] },
        { id: 'a', deps: [] },
      ]),
    ).toThrow(DuplicateSubtaskError);
    const cyclic = () =>
      createSchedule([
        { id: 'a', deps: ['c'] },
        { id: 'b', deps: ['a'] },
        { id: 'c', deps: ['b'] },
        { id: 'd', deps: ['d'] },
        { id: 'e', deps: ['a'] },
        { id: 'f', deps: [] },
      ]);
    expect(cyclic).toThrow(DependencyCycleError);
    expect(cyclic).toThrow(
      expect.objectContaining({
        cycles: [
          ['a', 'c', 'b', 'a'],
          ['d', 'd'],
        ],
      }),
    );
    expect(() => createSchedule([{ id: 'a', deps: [] }]).addSubtasks([{ id: 'r', deps: ['zz'] }])).toThrow(
      UnknownDependencyError,
    );
  });

  it('orders ready work by longest remaining critical path, then id', () => {
    const s = createSchedule([
      { id: 'z1', deps: [], weight: 1 },
      { id: 'z2', deps: ['z1'], weight: 4 },
      { id: 'b', deps: [], weight: 2 },
      { id: 'a', deps: [], weight: 2 },
      { id: 'end', deps: ['a', 'b'], weight: 0 },
    ]);
    expect(s.criticalPath('z1')).toBe(5);
    expect(s.criticalPath('a')).toBe(2);
    expect(s.ready()).toEqual(['z1', 'a', 'b']);
    expect(s.take(2)).toEqual(['z1', 'a']);
    expect(s.ready()).toEqual(['b']);
    expect(s.markDone('z1')).toEqual(['z2']);
    expect(s.markDone('a')).toEqual([]);
    expect(() => s.markDone('b')).toThrow(InvalidTransitionError);
    s.markRunning('b');
    expect(s.markDone('b')).toEqual(['end']);
    expect(s.counts()).toEqual({ waiting: 0, ready: 2, running: 0, done: 3, failed: 0, blocked: 0 });
    expect(s.isFinished()).toBe(false);
  });

  it('blocks every transitive dependent of a failed node and reports the causes', () => {
    const s = createSchedule([
      { id: 'a', deps: [] },
      { id: 'b', deps: [] },
      { id: 'c', deps: ['a'] },
      { id: 'd', deps: ['c', 'b'] },
      { id: 'e', deps: ['b'] },
    ]);
    s.take(2);
    expect(s.markFailed('a')).toEqual(['c', 'd']);
    expect(s.markDone('b')).toEqual(['e']);
    expect(s.blocked()).toEqual([
      { id: 'c', failed: ['a'] },
      { id: 'd', failed: ['a'] },
    ]);
    s.take(1);
    s.markDone('e');
    expect(s.isFinished()).toBe(true);
    // A repair subtask on a done node is schedulable; one on a failed node is blocked at once.
    expect(
      s.addSubtasks([
        { id: 'fix', deps: ['e'] },
        { id: 'dead', deps: ['c'] },
      ]),
    ).toEqual(['fix']);
    expect(s.status('dead')).toBe('blocked');
    expect(s.blocked()).toContainEqual({ id: 'dead', failed: ['a'] });
  });

  it('adds repair subtasks that raise the priority of the nodes they follow', () => {
    const s = createSchedule([
      { id: 'a', deps: [] },
      { id: 'b', deps: [] },
    ]);
    expect(s.ready()).toEqual(['a', 'b']);
    expect(
      s.addSubtasks([
        { id: 'r1', deps: ['b'], weight: 3 },
        { id: 'r2', deps: ['r1'] },
      ]),
    ).toEqual([]);
    expect(s.criticalPath('b')).toBe(5);
    expect(s.ready()).toEqual(['b', 'a']);
    expect(s.take(1)).toEqual(['b']);
    s.requeue('b');
    expect(s.take(5)).toEqual(['b', 'a']);
    expect(s.markDone('b')).toEqual(['r1']);
    expect(s.ids()).toEqual(['a', 'b', 'r1', 'r2']);
  });
});
