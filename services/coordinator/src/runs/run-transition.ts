import type { Run } from '@baton/protocol';
import { leaseExpired, repairFailed, repairPlanReceived } from './failure-transitions.js';
import {
  budgetCheck,
  cancel,
  dispatched,
  finished,
  planFailed,
  planReceived,
  planning,
  recordTrimmed,
} from './lifecycle-transitions.js';
import { mergeOutcome, resultReceived } from './result-transitions.js';
import type { RunEvent, RunRules } from './run-event.js';
import type { Transition } from './transition.js';

/**
 * The rules of a run, as one pure function: the run after `event`, and the effects to perform, in order. No I/O, no
 * clock, no mutation of `run` (what changes is copied; the rest is shared).
 * @example transition(run, { type: 'cancel', reason: 'by user', now }, rules).effects // [{ type: 'finish', … }]
 */
export function transition(run: Run, event: RunEvent, rules: RunRules): Transition {
  switch (event.type) {
    case 'planning':
      return planning(run);
    case 'planReceived':
      return planReceived(run, event.plan, rules, event.now);
    case 'planFailed':
      return planFailed(run, event.message);
    case 'resultReceived':
      return resultReceived(run, event.result, event.countStale, rules, event.now);
    case 'mergeOutcome':
      return mergeOutcome(run, event.result, event.outcome, rules, event.now);
    case 'repairPlanReceived':
      return repairPlanReceived(run, event.failedId, event.plan, event.now);
    case 'repairFailed':
      return repairFailed(run, event.failedId, event.result, event.message);
    case 'leaseExpired':
      return leaseExpired(run, event.subtaskId, event.attempt, event.leaseMs, event.now);
    case 'dispatched':
      return dispatched(run, event.items, rules, event.now);
    case 'budgetCheck':
      return budgetCheck(run, event.now);
    case 'cancel':
      return cancel(run, event.reason);
    case 'finished':
      return finished(run, event.status, event.reason, event.detail, event.head, event.now);
    case 'recordTrimmed':
      return recordTrimmed(run, event.bytes, event.limit);
  }
}
