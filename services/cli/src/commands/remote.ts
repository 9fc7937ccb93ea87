import { createLogger } from '@baton/log';
import { RunPlans } from '@baton/bus';
import {
  AgentEvent,
  CancelRequest,
  HumanDecision,
  PendingPermission,
  PermissionDecision,
  RunList,
  RunQuery,
  RunRecord,
  RunSpec,
  SubmitReply,
  isFinalStatus,
} from '@baton/protocol';
import { connectCluster } from '../connect.js';
import { followRun } from '../follow-run.js';
import { describePending } from '../permission-prompt.js';
import { createProgressView, summarize, tally } from '../progress-view.js';
import { rejectedSubmit } from '../rejected-submit.js';
import type { RunFlags } from '../run-flags.js';
import { runSpecFromFlags } from '../run-spec-from-flags.js';
import { CliError } from '../errors.js';

/** Options every cluster command takes. */
export interface RemoteOptions {
  nats: string;
  json?: boolean;
  /** `status` without a run id: how many of the newest runs to list. */
  limit?: number;
}

async function withCluster<T>(
  url: string,
  action: (bus: Awaited<ReturnType<typeof connectCluster>>) => Promise<T>,
): Promise<T> {
  const bus = await connectCluster(url, createLogger({ name: 'baton', level: 'warn' }));
  try {
    return await action(bus);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(err instanceof Error ? err.message : String(err), 1, { cause: err });
  } finally {
    await bus.close();
  }
}

/**
 * `baton submit`: sends a run to the cluster and prints its id and branch. The repository is the cluster's to check
 * (it reads it, maybe on another machine): a refusal comes back naming the flag at fault (exit 2).
 */
export async function submitCommand(task: string | undefined, opts: RunFlags & RemoteOptions): Promise<void> {
  const spec = runSpecFromFlags(task, opts);
  await withCluster(opts.nats, async (bus) => {
    const reply = await bus
      .request(bus.subjects.runsSubmit(), RunSpec, SubmitReply, spec, { timeoutMs: 60_000 })
      .catch((err: unknown) => {
        throw rejectedSubmit(err, spec) ?? err;
      });
    process.stdout.write(opts.json ? `${JSON.stringify(reply)}\n` : `${reply.runId}\tbranch ${reply.branch}\n`);
  });
}

/** `baton status|watch|cancel|logs`. */
export async function remoteCommand(
  name: 'status' | 'watch' | 'cancel' | 'logs',
  runId: string | undefined,
  opts: RemoteOptions,
): Promise<void> {
  await withCluster(opts.nats, async (bus) => {
    const s = bus.subjects;
    switch (name) {
      case 'status': {
        if (runId === undefined) {
          const { runs, total } = await bus.request(s.runsList(), RunQuery, RunList, {
            v: 1,
            ...(opts.limit === undefined ? {} : { limit: opts.limit }),
          });
          if (total > runs.length)
            process.stderr.write(`the newest ${runs.length} of ${total} runs (--limit N for more)\n`);
          if (opts.json) return void process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          for (const r of runs) {
            const t = tally(r);
            process.stdout.write(
              `${r.id}\t${r.status}\t${t.done}/${t.total} subtasks\t${r.branch ?? ''}\t${new Date(r.createdAt).toISOString()}\n`,
            );
          }
          return;
        }
        // The reply holds the plan by reference (a plan may be larger than a message).
        const run = await (
          await RunPlans.open(bus)
        ).assemble(await bus.request(s.runGet(runId), RunQuery, RunRecord, { v: 1, runId }));
        process.stdout.write(opts.json ? `${JSON.stringify(run, null, 2)}\n` : `${summarize(run)}\n`);
        return;
      }
      case 'watch': {
        const view = opts.json ? undefined : createProgressView();
        const pending = bus.subscribe(s.permPending(runId!), PendingPermission, (p) => {
          process.stderr.write(
            `\npermission needed: ${describePending(p)}\n  baton approve ${p.request.id} --run ${runId!} (or baton deny)\n`,
          );
        });
        try {
          const run = await followRun(bus, runId!, (r) => view?.update(r));
          view?.stop();
          process.stdout.write(opts.json ? `${JSON.stringify(run, null, 2)}\n` : `${summarize(run)}\n`);
          process.exitCode = run.status === 'succeeded' ? 0 : 1;
        } finally {
          await pending.unsubscribe();
        }
        return;
      }
      case 'cancel': {
        const run = await bus.request(
          s.runCancel(runId!),
          CancelRequest,
          RunRecord,
          { v: 1, runId: runId!, reason: 'cancelled with baton cancel' },
          { timeoutMs: 30_000 },
        );
        process.stdout.write(`${run.id}: ${run.status}${run.detail ? ` (${run.detail})` : ''}\n`);
        return;
      }
      case 'logs': {
        // Agent events are a live stream: this follows them until the run ends (Ctrl-C to stop).
        const record = await bus.request(s.runGet(runId!), RunQuery, RunRecord, { v: 1, runId: runId! });
        if (isFinalStatus(record.status)) {
          process.stdout.write(`${summarize(await (await RunPlans.open(bus)).assemble(record))}\n`);
          return;
        }
        const sub = bus.subscribe(s.eventsOfRun(runId!), AgentEvent, (e) => {
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(e)}\n`
              : `${new Date(e.timestamp).toISOString()} ${e.actorId} ${e.machineId} ${e.eventType} ${JSON.stringify(e.stateValue ?? '')}\n`,
          );
        });
        try {
          await followRun(bus, runId!, () => undefined);
        } finally {
          await sub.unsubscribe();
        }
        return;
      }
    }
  });
}

/** `baton approve|deny <requestId> --run <runId>`. */
export async function decideCommand(
  name: 'approve' | 'deny',
  requestId: string,
  opts: RemoteOptions & { run: string; reason?: string },
): Promise<void> {
  await withCluster(opts.nats, async (bus) => {
    const decision = name === 'approve' ? 'allow' : 'deny';
    const human: HumanDecision = {
      v: 1,
      requestId,
      runId: opts.run,
      decision,
      reason: opts.reason ?? '',
      by: process.env.USER ?? 'human',
    };
    const answer = await bus.request(bus.subjects.permDecide(opts.run), HumanDecision, PermissionDecision, human, {
      timeoutMs: 15_000,
    });
    process.stdout.write(`${answer.requestId}: ${answer.decision} (${answer.reason})\n`);
  });
}
