import cliProgress from 'cli-progress';
import { summarizeRun, type Run, type RunSummary, type SubtaskStatus } from '@baton/protocol';

/** Counts of a run's subtasks and its spend, as shown while it runs. */
export interface RunTally {
  total: number;
  done: number;
  running: number;
  failed: number;
  mergedFiles: number;
  tokens: number;
  costUsd: number;
}

const DONE: ReadonlySet<SubtaskStatus> = new Set(['merged', 'succeeded', 'skipped']);

/** Tallies a run record, or a run as `runs.list` summarizes it. */
export function tally(run: Run | RunSummary): RunTally {
  const { subtaskCounts, mergedFiles } = 'subtaskCounts' in run ? run : summarizeRun(run);
  const count = (keep: (status: SubtaskStatus) => boolean) =>
    Object.entries(subtaskCounts).reduce((n, [status, c]) => n + (keep(status as SubtaskStatus) ? c : 0), 0);
  return {
    total: count(() => true),
    done: count((s) => DONE.has(s)),
    running: count((s) => s === 'dispatched' || s === 'merging'),
    failed: count((s) => s === 'failed'),
    mergedFiles,
    tokens: run.usage.inputTokens + run.usage.outputTokens,
    costUsd: run.usage.costUsd,
  };
}

/** A live view of a run: a progress bar on a TTY, one plain line per change otherwise. */
export interface ProgressView {
  update(run: Run): void;
  stop(): void;
}

/** Creates the view for stderr (stdout stays for the result and `--json`). */
export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          ' {status} |{bar}| {value}/{total} subtasks · {running} in flight · {failed} failed · {files} files merged · {tokens} tokens · ${cost}',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(run) {
        const t = tally(run);
        const payload = {
          status: run.status.padEnd(9),
          running: t.running,
          failed: t.failed,
          files: t.mergedFiles,
          tokens: t.tokens,
          cost: t.costUsd.toFixed(4),
        };
        if (!started) {
          bar.start(Math.max(t.total, 1), t.done, payload);
          started = true;
        }
        bar.setTotal(Math.max(t.total, 1));
        bar.update(t.done, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update(run) {
      const t = tally(run);
      const line = `${run.status}: ${t.done}/${t.total} subtasks done, ${t.running} in flight, ${t.failed} failed, ${t.mergedFiles} files merged, ${t.tokens} tokens, $${t.costUsd.toFixed(4)}`;
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    stop: () => undefined,
  };
}

/** The closing summary of a run, for people. */
export function summarize(run: Run): string {
  const t = tally(run);
  const states = Object.entries(run.subtasks);
  const retries = states.reduce((n, [, s]) => n + Math.max(0, s.attempt - 1 - s.conflicts), 0);
  const conflicts = states.reduce((n, [, s]) => n + s.conflicts, 0);
  const testers = (run.plan?.subtasks ?? []).filter((s) => s.kind === 'tester');
  const testsPassed = testers.filter((s) => run.subtasks[s.id]?.status === 'succeeded').length;
  const lines = [
    `run ${run.id}: ${run.status}${run.stopReason ? ` (${run.stopReason})` : ''}`,
    `branch: ${run.branch ?? '-'}${run.headCommit ? ` at ${run.headCommit.slice(0, 12)}` : ''}`,
    `files changed: ${t.mergedFiles}`,
    `subtasks: ${t.done}/${t.total} done, ${t.failed} failed, ${retries} retries, ${conflicts} conflicts`,
    `tests: ${testsPassed}/${testers.length} tester subtasks passed`,
    `usage: ${t.tokens} tokens, $${t.costUsd.toFixed(4)}`,
  ];
  if (run.status !== 'succeeded' && run.detail) lines.push(`reason: ${run.detail}`);
  return lines.join('\n');
}
