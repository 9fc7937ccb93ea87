import {
  emptyUsage,
  type AgentStop,
  type CommandOutput,
  type ErrorData,
  type Result,
  type TestReport,
  type Usage,
  type WorkItem,
} from '@baton/protocol';

/** How an agent's work on an item ended, whichever agent ran it; what it did not produce is left out. */
export interface AgentOutcome {
  ok: boolean;
  stop: AgentStop;
  summary?: string;
  error?: ErrorData;
  /** Unified diff against the item's base commit. */
  diff?: string;
  /** Where a diff too large for the message is stored (then `diff` is empty). */
  diffRef?: Result['diffRef'];
  files?: string[];
  testReport?: TestReport;
  commands?: CommandOutput[];
  usage?: Usage;
}

/** Builds the Result of one attempt at `item` from its agent's outcome; it finished now. */
export function toResult(item: WorkItem, workerId: string, startedAt: number, outcome: AgentOutcome): Result {
  return {
    v: 1,
    runId: item.runId,
    subtaskId: item.subtask.id,
    attempt: item.attempt,
    workerId,
    ok: outcome.ok,
    stop: outcome.stop,
    baseCommit: item.baseCommit,
    diff: outcome.diff ?? '',
    ...(outcome.diffRef ? { diffRef: outcome.diffRef } : {}),
    filesChanged: outcome.files ?? [],
    ...(outcome.testReport ? { testReport: outcome.testReport } : {}),
    commands: outcome.commands ?? [],
    usage: outcome.usage ?? emptyUsage(),
    summary: outcome.summary ?? '',
    ...(outcome.error ? { error: outcome.error } : {}),
    startedAt,
    finishedAt: Date.now(),
  };
}
