import {
  createActor,
  toPromise,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type OutputFrom,
} from 'xstate';
import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import { AgentEvent, actorIdOf, type WorkItem } from '@baton/protocol';
import { agentEventInspector } from './agents/inspection.js';

/** Where an agent's events go and who runs it. */
export interface RunActorDeps {
  bus: Bus;
  workerId: string;
  log: Logger;
}

/**
 * Runs an agent machine for one work item to its final state and returns that state's output; its transitions go out
 * as AgentEvents on `events.<runId>.<actorId>`, and an abort of `signal` sends it CANCEL.
 */
export async function runActor<L extends AnyStateMachine>(
  logic: L,
  input: InputFrom<L>,
  item: WorkItem,
  deps: RunActorDeps,
  signal: AbortSignal,
): Promise<OutputFrom<L>> {
  const actorId = actorIdOf(item.subtask.id, item.attempt);
  const subject = deps.bus.subjects.events(item.runId, actorId);
  const inspect = agentEventInspector(
    { runId: item.runId, subtaskId: item.subtask.id, workerId: deps.workerId, actorId, machineId: logic.id },
    (event) => {
      deps.bus
        .publish(subject, AgentEvent, event)
        .catch((err: unknown) => deps.log.warn({ err }, 'could not publish an agent event'));
    },
  );
  const actor = createActor(logic, { input, inspect });
  const onAbort = () => actor.send({ type: 'CANCEL' } as EventFromLogic<L>);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    actor.start();
    // A cancel that came while the worktree was being prepared has already fired: listeners never see it.
    if (signal.aborted) onAbort();
    return await toPromise(actor);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
