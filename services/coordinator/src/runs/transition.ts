import type { Run } from '@baton/protocol';
import type { RunEffect } from './run-effect.js';

/** A run's change: the run after an event, and what must be done about it, in order. */
export interface Transition {
  run: Run;
  effects: RunEffect[];
}

/** The run unchanged, with these effects. */
export function unchanged(run: Run, ...effects: RunEffect[]): Transition {
  return { run, effects };
}

/** The transition, then a pump of what became ready, unless it stops the run. */
export function thenPump(t: Transition): Transition {
  if (t.effects.some((e) => e.type === 'finish')) return t;
  return { run: t.run, effects: [...t.effects, { type: 'pump' }] };
}
