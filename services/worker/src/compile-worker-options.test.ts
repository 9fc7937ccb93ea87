import { resolve } from 'node:path';
import { createMemoryBroker } from '@baton/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkerOptions } from './compile-worker-options.js';
import { defaultRecipeThreads } from './lazy-recipe-pool.js';
import { WorkerOptionsError } from './errors.js';

const broker = createMemoryBroker();
const bus = broker.connect();
afterAll(() => broker.close());

function failure(raw: Record<string, unknown>): WorkerOptionsError {
  try {
    compileWorkerOptions({ bus, ...raw });
  } catch (err) {
    if (err instanceof WorkerOptionsError) return err;
    throw err;
  }
  throw new Error('compiled without an error');
}

describe('compileWorkerOptions', () => {
  it('fills in every default', () => {
    const o = compileWorkerOptions({ bus });
    expect(o).toMatchObject({
      kinds: ['editor', 'tester', 'shell'],
      slots: 2,
      recipeThreads: defaultRecipeThreads(2),
      queues: { ackWaitMs: 30_000, maxDeliver: 5 },
      heartbeatMs: 5_000,
      graceMs: 30_000,
      commandTimeoutMs: 600_000,
      editorLimits: {},
      version: '0.1.0',
    });
    expect(o.workerId).toMatch(/^w-[A-Za-z0-9_-]+-[0-9a-z]{8}$/);
    expect(o.baseDir).toBeUndefined();
    expect(o.model).toBeUndefined();
  });

  it('keeps given values and resolves the scratch folder', () => {
    const o = compileWorkerOptions({
      bus,
      workerId: 'w1',
      kinds: ['shell'],
      slots: 8,
      graceMs: 0,
      baseDir: 'scratch',
      editorLimits: { maxTurns: 3 },
    });
    expect(o).toMatchObject({ workerId: 'w1', kinds: ['shell'], slots: 8, graceMs: 0, editorLimits: { maxTurns: 3 } });
    expect(o.recipeThreads).toBe(defaultRecipeThreads(8));
    expect(o.baseDir).toBe(resolve('scratch'));
  });

  it('recipe threads default to the slots, at most the cores less one', () => {
    expect(defaultRecipeThreads(4, 2)).toBe(1);
    expect(defaultRecipeThreads(2, 16)).toBe(2);
    expect(defaultRecipeThreads(8, 1)).toBe(1);
  });

  it.each([
    [{ slots: 0 }, 'slots'],
    [{ slots: Number.NaN }, 'slots'],
    [{ kinds: [] }, 'kinds'],
    [{ kinds: ['editor', 'painter'] }, 'kinds.1'],
    [{ workerId: 'a worker' }, 'workerId'],
    [{ heartbeatMs: -5 }, 'heartbeatMs'],
    [{ queues: { ackWaitMs: 1.5 } }, 'queues.ackWaitMs'],
    [{ editorLimits: { maxTurns: 0 } }, 'editorLimits.maxTurns'],
    [{ baseDir: '' }, 'baseDir'],
    [{ grace: 10 }, 'grace'],
  ])('a bad value fails naming the option: %j', (raw, option) => {
    const err = failure(raw);
    expect(err.option).toBe(option);
    expect(err.message).toContain(`startWorker: option ${option}:`);
  });
});
