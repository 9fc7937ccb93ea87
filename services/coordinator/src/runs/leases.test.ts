import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Leases } from './leases.js';

describe('Leases', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('tells when an attempt’s lease runs out, once; a new attempt replaces it; a cleared or disposed one never fires', () => {
    const expired: unknown[] = [];
    const leases = new Leases((...args) => void expired.push(args));
    leases.arm('a', 1, 1_000);
    leases.arm('a', 2, 2_000);
    leases.arm('b', 1, 500);
    leases.clear('b');
    vi.advanceTimersByTime(5_000);
    expect(expired).toEqual([['a', 2, 2_000]]);
    expect(leases.size).toBe(0);
    leases.arm('c', 1, 100);
    leases.dispose();
    leases.arm('d', 1, 100);
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveLength(1);
  });
});
