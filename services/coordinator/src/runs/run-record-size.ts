import { emptyUsage, type Plan, type Run, type SubtaskState } from '@baton/protocol';

/**
 * What a run's record gains per subtask after its plan is accepted (a merge commit, usage figures, longer
 * timestamps: ~120 bytes measured), with room to spare; and the share of the bus's max payload kept for
 * failures' errors and the stop's detail.
 */
const STATE_GROWTH_BYTES = 160;
const RECORD_HEADROOM = 1 / 16;

/** A subtask's state when its plan is accepted. */
export function newSubtaskState(now: number): SubtaskState {
  return { status: 'pending', attempt: 0, conflicts: 0, filesChanged: 0, usage: emptyUsage(), updatedAt: now };
}

/**
 * Why the run's record could not hold `plan`'s subtasks on a bus whose messages carry at most `maxPayload` bytes, or
 * undefined when it can. The record (every subtask's state, one KV value rewritten on each change) must fit in one
 * message, the NATS server's max_payload (1 MiB by default: ~2,700 subtasks, beyond the default budget of 2,000); past
 * it every write would fail and the run could neither go on nor stop.
 */
export function recordOverflow(run: Run, plan: Plan, maxPayload: number, now: number): string | undefined {
  if (!Number.isFinite(maxPayload)) return undefined;
  const states: Run['subtasks'] = {};
  for (const s of plan.subtasks) states[s.id] = newSubtaskState(now);
  const { plan: _plan, ...record } = run;
  const bytes = Buffer.byteLength(
    JSON.stringify({
      ...record,
      subtasks: states,
      planRef: { object: `${run.id}.plan.${'0'.repeat(32)}`, subtasks: 0 },
    }),
  );
  const needed = bytes + plan.subtasks.length * STATE_GROWTH_BYTES;
  const room = Math.floor(maxPayload * (1 - RECORD_HEADROOM));
  if (needed <= room) return undefined;
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  return `the plan has ${plan.subtasks.length} subtasks: the run's record (one state per subtask) would grow to about ${kib(needed)}, over the ${kib(room)} it may take of one message on this bus (the NATS server's max_payload is ${kib(maxPayload)}). Raise max_payload on the server (nats-server's config, up to 64 MiB), or split the change into runs of fewer subtasks.`;
}
