import { createLogger } from '@baton/log';
import { CancelRequest, RunRecord, RunSpec, SubmitReply, type Run } from '@baton/protocol';
import { followRun } from '../follow-run.js';
import { promptForPermissions } from '../permission-prompt.js';
import { createProgressView, summarize } from '../progress-view.js';
import type { RunFlags } from '../run-flags.js';
import { runSpecFromFlags } from '../run-spec-from-flags.js';
import { CliError } from '../errors.js';

/** Options of `baton run`. */
export interface RunOptions extends RunFlags {
  workers?: number;
  json?: boolean;
  nats?: string;
}

/**
 * `baton run`: the main job. Embedded by default (coordinator, planner and worker slots in this
 * process on the in-process bus); with --nats the run goes to a cluster and this process follows it.
 * Exit code 0 on success, 1 otherwise, with the reason.
 */
export async function runCommand(task: string | undefined, opts: RunOptions): Promise<void> {
  const spec = runSpecFromFlags(task, opts);
  // The coordinator checks the repository when it takes the run (embedded or on the cluster): executeRun reports it.
  const run = await executeRun(spec, opts);
  process.exitCode = run.status === 'succeeded' ? 0 : 1;
}

/** Submits a spec (embedded, or to `opts.nats`), shows progress, prints the summary; returns the final run. */
export async function executeRun(spec: RunSpec, opts: RunOptions): Promise<Run> {
  // The services' warnings (a failed plan, with its stack) repeat what the summary's reason says; BATON_LOG_LEVEL shows them.
  const logger = createLogger({ name: 'baton', ...(process.env.BATON_LOG_LEVEL ? {} : { level: 'error' as const }) });
  const { startEmbedded } = await import('../embedded.js');
  const { connectCluster } = await import('../connect.js');
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true && opts.json !== true;
  const nats = opts.nats?.trim() || undefined;
  const embedded = nats === undefined ? await startEmbedded({ workers: opts.workers ?? 4, logger }) : undefined;
  const bus = embedded?.bus ?? (await connectCluster(nats!, logger));
  const prompts = promptForPermissions(bus, { interactive, embedded: embedded !== undefined });
  const view = opts.json ? undefined : createProgressView();
  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncancelling the run (the branch is kept)…\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  try {
    const reply = embedded
      ? await embedded.coordinator.submit(spec)
      : await bus.request(bus.subjects.runsSubmit(), RunSpec, SubmitReply, spec, { timeoutMs: 60_000 });
    if (!opts.json) process.stderr.write(`run ${reply.runId} started on branch ${reply.branch}\n`);
    abort.signal.addEventListener('abort', () => {
      void bus
        .request(bus.subjects.runCancel(reply.runId), CancelRequest, RunRecord, {
          v: 1,
          runId: reply.runId,
          reason: 'cancelled from the terminal (Ctrl-C)',
        })
        .catch(() => undefined);
    });
    const run = await followRun(bus, reply.runId, (r) => view?.update(r));
    view?.stop();
    if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    else process.stdout.write(`${summarize(run)}\n`);
    return run;
  } catch (err) {
    view?.stop();
    // Loaded like the stack (it imports the coordinator's errors), so a usage error never waits for it.
    const { rejectedSubmit } = await import('../rejected-submit.js');
    throw (
      rejectedSubmit(err, spec) ?? new CliError(err instanceof Error ? err.message : String(err), 1, { cause: err })
    );
  } finally {
    process.removeListener('SIGINT', onSignal);
    await prompts.unsubscribe();
    await embedded?.stop();
    if (!embedded) await bus.close();
  }
}
