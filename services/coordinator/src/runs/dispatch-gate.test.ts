import { describe, expect, it } from 'vitest';
import { DispatchGate } from './dispatch-gate.js';

describe('DispatchGate', () => {
  it('shares the global limit between runs and tells waiting runs when slots free up', () => {
    let changes = 0;
    const gate = new DispatchGate(4, () => changes++);
    expect(gate.free('a', 0)).toBe(4);
    gate.setActive('a', 3);
    expect(gate.free('b', 0)).toBe(1);
    expect(gate.free('a', 3)).toBe(1);
    gate.setActive('b', 1);
    expect(gate.free('b', 1)).toBe(0);
    expect(changes).toBe(0);
    gate.setActive('a', 1);
    expect(changes).toBe(1);
    expect(gate.free('b', 1)).toBe(2);
    gate.setActive('a', 0);
    expect(gate.free('b', 1)).toBe(3);
  });

  it('pauses model work for the longest back-off asked, then wakes the runs', async () => {
    let wake = () => undefined as void;
    const woke = new Promise<void>((resolve) => (wake = resolve));
    const gate = new DispatchGate(4, () => wake());
    const now = Date.now();
    gate.pauseModel(50, now);
    gate.pauseModel(10, now);
    expect(gate.modelPaused(now + 30)).toBe(true);
    expect(gate.modelPaused(now + 60)).toBe(false);
    await woke;
    expect(gate.modelPaused()).toBe(false);
    gate.dispose();
  });
});
