import { resolve } from 'node:path';
import { createMemoryBroker, type Bus } from '@baton/bus';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCoordinatorOptions, type CoordinatorOptions } from './compile-coordinator-options.js';
import { CoordinatorOptionsError } from './errors.js';

const broker = createMemoryBroker();
const bus = broker.connect();
afterAll(() => broker.close());

/** The error a bad option fails with. */
function failure(raw: Partial<CoordinatorOptions> & Record<string, unknown>): CoordinatorOptionsError {
  try {
    compileCoordinatorOptions({ bus, ...raw });
  } catch (err) {
    if (err instanceof CoordinatorOptionsError) return err;
    throw err;
  }
  throw new Error('compiled without an error');
}

describe('compileCoordinatorOptions', () => {
  it('fills in every default', () => {
    const o = compileCoordinatorOptions({ bus });
    expect(o).toMatchObject({
      bus,
      repoSource: 'local',
      queues: { ackWaitMs: 30_000, maxDeliver: 5 },
      resultConcurrency: 16,
      planTimeoutMs: 600_000,
      maxConflictRetries: 2,
      maxInFlight: 256,
      modelBackoffMs: 30_000,
      leaseMs: 1_800_000,
    });
    expect(o.userSettingsPath).toBeUndefined();
    expect(typeof o.logger.info).toBe('function');
  });

  it('keeps given values, resolves the settings path and fills a partial queue tuning', () => {
    const o = compileCoordinatorOptions({
      bus,
      leaseMs: 500,
      maxConflictRetries: 0,
      queues: { ackWaitMs: 1_000 },
      repoSource: 'snapshot',
      userSettingsPath: 'settings.json',
    });
    expect(o).toMatchObject({ leaseMs: 500, maxConflictRetries: 0, repoSource: 'snapshot' });
    expect(o.queues).toEqual({ ackWaitMs: 1_000, maxDeliver: 5 });
    expect(o.userSettingsPath).toBe(resolve('settings.json'));
  });

  it('takes the snapshot source on a NATS bus', () => {
    const nats = { ...bus, transport: 'nats' } as Bus;
    expect(compileCoordinatorOptions({ bus: nats }).repoSource).toBe('snapshot');
  });

  it.each([
    [{ leaseMs: 0 }, 'leaseMs'],
    [{ planTimeoutMs: 1.5 }, 'planTimeoutMs'],
    [{ maxInFlight: -1 }, 'maxInFlight'],
    [{ maxConflictRetries: Number.NaN }, 'maxConflictRetries'],
    [{ queues: { ackWaitMs: 0 } }, 'queues.ackWaitMs'],
    [{ repoSource: 'ftp' }, 'repoSource'],
    [{ leaseMS: 10 }, 'leaseMS'],
  ])('a bad value fails naming the option: %j', (raw, option) => {
    const err = failure(raw as Record<string, unknown>);
    expect(err.option).toBe(option);
    expect(err.message).toContain(`option ${option}:`);
  });

  it('a missing bus is named', () => {
    expect(failure({ bus: undefined }).option).toBe('bus');
  });
});
