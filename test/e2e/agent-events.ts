import type { Bus, Subscription } from '@baton/bus';
import { AgentEvent } from '@baton/protocol';
import { createSignal } from './within.js';

/** Every AgentEvent of one run, as the workers publish them on `events.<runId>.*`. */
export interface AgentEventLog {
  readonly events: readonly AgentEvent[];
  /** Resolves with the first event matching `match` (bounded). */
  until(match: (event: AgentEvent) => boolean, ms: number, what: string): Promise<AgentEvent>;
  /** The actor ids (`<subtaskId>-<attempt>`) that published anything, in order of first appearance. */
  actors(): string[];
  stop(): Promise<void>;
}

/** Whether `event` is a snapshot of an agent that ended in the final state `state` (e.g. `cancelled`, `maxTurns`). */
export function endedIn(event: AgentEvent, state: string): boolean {
  return event.kind === '@xstate.snapshot' && event.status === 'done' && event.stateValue === state;
}

/** Subscribes to the run's agent events (call it before the work is dispatched). */
export function recordAgentEvents(bus: Bus, runId: string): AgentEventLog {
  const events: AgentEvent[] = [];
  const signal = createSignal();
  const sub: Subscription = bus.subscribe(bus.subjects.eventsOfRun(runId), AgentEvent, (event) => {
    events.push(event);
    signal.notify();
  });
  return {
    events,
    until: async (match, ms, what) => {
      await signal.until(() => events.some(match), ms, what);
      return events.find(match)!;
    },
    actors: () => [...new Set(events.map((e) => e.actorId))],
    stop: () => sub.unsubscribe(),
  };
}
