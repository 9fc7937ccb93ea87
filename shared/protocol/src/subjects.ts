import { AgentKindSchema, type AgentKind } from './plan.js';
import { ID_PATTERN } from './ids.js';

/** A NATS subject built by this module; plain strings are not accepted where a Subject is expected. */
export type Subject = string & { readonly __brand: 'baton.subject' };

/** Thrown when a subject token is not safe (empty, has `.`, `*`, `>` or whitespace). */
export class InvalidSubjectTokenError extends Error {
  override readonly name = 'InvalidSubjectTokenError';
  constructor(
    readonly token: string,
    readonly role: string,
  ) {
    super(`invalid ${role} in subject: ${JSON.stringify(token)} (allowed: ${ID_PATTERN.source})`);
  }
}

const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

function token(value: string, role: string): string {
  if (!ID_PATTERN.test(value)) throw new InvalidSubjectTokenError(value, role);
  return value;
}

function kindToken(kind: AgentKind): string {
  if (!AgentKindSchema.safeParse(kind).success) throw new InvalidSubjectTokenError(kind, 'agent kind');
  return kind;
}

/**
 * Typed builders for every subject Baton uses, under a configurable prefix (default `baton`).
 * @example subjectsFor('baton').work('editor') // "baton.work.editor"
 */
export function subjectsFor(prefix = 'baton') {
  if (!PREFIX_PATTERN.test(prefix)) throw new InvalidSubjectTokenError(prefix, 'prefix');
  const s = (...parts: string[]) => [prefix, ...parts].join('.') as Subject;
  return {
    prefix,
    /** client -> coordinator: submit a RunSpec (request/reply). */
    runsSubmit: () => s('runs', 'submit'),
    /** client -> coordinator: list runs (request/reply). */
    runsList: () => s('runs', 'list'),
    /** client -> coordinator: get one run (request/reply). */
    runGet: (runId: string) => s('runs', token(runId, 'run id'), 'get'),
    /** Every run's get subject (the coordinator serves it). */
    runGetAll: () => s('runs', '*', 'get'),
    /** Every run's cancel subject (the coordinator serves it). */
    runCancelAll: () => s('runs', '*', 'cancel'),
    /** client -> coordinator: cancel a run (request/reply). */
    runCancel: (runId: string) => s('runs', token(runId, 'run id'), 'cancel'),
    /** coordinator -> planner (queue group): request a plan. */
    planRequest: () => s('plan', 'request'),
    /** coordinator -> workers of a kind: JetStream work queue. */
    work: (kind: AgentKind) => s('work', kindToken(kind)),
    /** Every work subject (the work stream's filter). */
    workAll: () => s('work', '>'),
    /** worker -> coordinator: results of a run. */
    results: (runId: string) => s('results', token(runId, 'run id')),
    /** Every run's results (the results stream's filter). */
    resultsAll: () => s('results', '*'),
    /** worker -> coordinator: permission request (request/reply). */
    permRequest: () => s('perm', 'request'),
    /** coordinator -> humans: a parked permission request. */
    permPending: (runId: string) => s('perm', token(runId, 'run id'), 'pending'),
    /** Every run's parked requests. */
    permPendingAll: () => s('perm', '*', 'pending'),
    /** humans -> coordinator: decide a parked request (request/reply). */
    permDecide: (runId: string) => s('perm', token(runId, 'run id'), 'decide'),
    /** Every run's decide subject (the coordinator listens here). */
    permDecideAll: () => s('perm', '*', 'decide'),
    /** coordinator -> everyone: a decision was made (pub, the audit trail). */
    permDecided: (runId: string) => s('perm', token(runId, 'run id'), 'decided'),
    /** everyone -> dashboard, memory: an agent's inspection events. */
    events: (runId: string, actorId: string) => s('events', token(runId, 'run id'), token(actorId, 'actor id')),
    /** Every event of one run. */
    eventsOfRun: (runId: string) => s('events', token(runId, 'run id'), '*'),
    /** Every event (the events stream's filter). */
    eventsAll: () => s('events', '*', '*'),
    /** worker -> coordinator, dashboard: heartbeat (pub). */
    workersHeartbeat: () => s('workers', 'heartbeat'),
    /** coordinator -> worker: cancel the work of a run in hand (pub). */
    workCancel: (runId: string) => s('work-cancel', token(runId, 'run id')),
    /** Every run's work cancellation. */
    workCancelAll: () => s('work-cancel', '*'),
    /** bus -> operators: messages a queue gave up on. */
    deadLetter: (queue: string) => s('dead', token(queue, 'queue name')),
    /** Every dead letter (the dead-letter stream's filter). */
    deadLetterAll: () => s('dead', '*'),
    /** Arbitrary subject under the prefix for tests and benchmarks: tokens are validated. */
    custom: (...tokens: string[]) => s(...tokens.map((t) => token(t, 'token'))),
  } as const;
}

/** The subject builders of one prefix. */
export type Subjects = ReturnType<typeof subjectsFor>;

/** Names of JetStream streams, KV buckets and object buckets for a prefix (NATS names cannot hold dots). */
export function resourceNamesFor(prefix = 'baton') {
  if (!PREFIX_PATTERN.test(prefix)) throw new InvalidSubjectTokenError(prefix, 'prefix');
  const up = prefix.replace(/[.-]/g, '_').toUpperCase();
  const low = prefix.replace(/\./g, '-');
  return {
    workStream: `${up}_WORK`,
    resultsStream: `${up}_RESULTS`,
    eventsStream: `${up}_EVENTS`,
    deadStream: `${up}_DEAD`,
    runsBucket: `${low}-runs`,
    ledgerBucket: `${low}-ledger`,
    workersBucket: `${low}-workers`,
    snapshotsBucket: `${low}-snapshots`,
    diffsBucket: `${low}-diffs`,
    /** Runs' plans (object store), referenced from their records in the runs bucket. */
    plansBucket: `${low}-plans`,
  } as const;
}
