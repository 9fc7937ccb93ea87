import { createMemoryBroker, type Bus } from '@baton/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlannerOptions, PLAN_INLINE_LIMIT } from './compile-planner-options.js';
import { PlannerOptionsError } from './errors.js';

const broker = createMemoryBroker();
const bus = broker.connect();
afterAll(() => broker.close());

function failure(raw: Record<string, unknown>): PlannerOptionsError {
  try {
    compilePlannerOptions({ bus, ...raw });
  } catch (err) {
    if (err instanceof PlannerOptionsError) return err;
    throw err;
  }
  throw new Error('compiled without an error');
}

describe('compilePlannerOptions', () => {
  it('fills in the defaults', () => {
    const o = compilePlannerOptions({ bus });
    expect(o).toMatchObject({ bus, maxTries: 3, planInlineLimit: Math.min(PLAN_INLINE_LIMIT, bus.maxPayload / 4) });
    expect(o.model).toBeUndefined();
    expect(typeof o.logger.warn).toBe('function');
  });

  it('caps the inline plan limit at a quarter of the bus max payload', () => {
    const small = { ...bus, maxPayload: 64 * 1024 } as Bus;
    expect(compilePlannerOptions({ bus: small, planInlineLimit: 1024 * 1024 }).planInlineLimit).toBe(16 * 1024);
    expect(compilePlannerOptions({ bus, planInlineLimit: 100 }).planInlineLimit).toBe(100);
  });

  it.each([
    [{ maxTries: 0 }, 'maxTries'],
    [{ planInlineLimit: '1MB' }, 'planInlineLimit'],
    [{ model: 'claude' }, 'model'],
    [{ maxtries: 2 }, 'maxtries'],
  ])('a bad value fails naming the option: %j', (raw, option) => {
    const err = failure(raw);
    expect(err.option).toBe(option);
    expect(err.message).toContain(`startPlanner: option ${option}:`);
  });
});
