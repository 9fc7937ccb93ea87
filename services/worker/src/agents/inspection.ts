import type { InspectionEvent } from 'xstate';
import { AgentEvent, type Json } from '@baton/protocol';

/** Ids stamped on every event of one actor. */
export interface InspectionIds {
  runId: string;
  subtaskId?: string;
  workerId?: string;
  actorId: string;
  /** The machine's id (`editor`, `tester`, `shell`). */
  machineId: string;
}

function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as Json;
}

/**
 * An XState `inspect` callback that turns the root actor's inspection events (its received events
 * and snapshots) into AgentEvents and hands them to `emit` in order; events of invoked child actors are skipped.
 * @example createActor(editorMachine, { input, inspect: agentEventInspector(ids, (e) => bus.publish(subject, AgentEvent, e)) })
 */
export function agentEventInspector(
  ids: InspectionIds,
  emit: (event: AgentEvent) => void,
): (event: InspectionEvent) => void {
  let seq = 0;
  return (ev) => {
    if (ev.type !== '@xstate.snapshot' && ev.type !== '@xstate.event') return;
    if (ev.actorRef.sessionId !== ev.rootId) return;
    const snapshot =
      ev.type === '@xstate.snapshot'
        ? (ev.snapshot as { value?: unknown; status?: 'active' | 'done' | 'error' | 'stopped' })
        : undefined;
    const event: AgentEvent = {
      v: 1,
      runId: ids.runId,
      ...(ids.subtaskId ? { subtaskId: ids.subtaskId } : {}),
      ...(ids.workerId ? { workerId: ids.workerId } : {}),
      actorId: ids.actorId,
      machineId: ids.machineId,
      kind: ev.type,
      eventType: ev.event.type.slice(0, 200),
      ...(snapshot?.value !== undefined ? { stateValue: toJson(snapshot.value)! } : {}),
      ...(snapshot?.status ? { status: snapshot.status } : {}),
      seq: seq++,
      timestamp: Date.now(),
    };
    emit(AgentEvent.parse(event));
  };
}
