import type { EventObject } from 'xstate';
import { toErrorData, type AgentStop, type ErrorData } from '@baton/protocol';

/** What an agent machine's context keeps of a failure: the error and the stop it ends the agent with. */
export interface Failure {
  error?: ErrorData;
  failedWith?: AgentStop;
}

/**
 * The agents' one `onError` assignment: the failed actor's error, and the stop it ends the agent with (`error` unless
 * the transition's params name another). Each machine names it once in `setup({ actions })`.
 * @example setup({ actions: { recordError: assign(recordError) } }) … onError: { target: 'failed', actions: 'recordError' }
 */
export function recordError({ event }: { event: EventObject }, params?: { stop: AgentStop }): Required<Failure> {
  // Only onError transitions name it, and their event (`xstate.error.actor.*`) carries the error.
  const error = 'error' in event ? event.error : event;
  return { error: toErrorData(error), failedWith: params?.stop ?? 'error' };
}
