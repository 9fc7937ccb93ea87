import { createInterface } from 'node:readline/promises';
import type { Bus, Subscription } from '@baton/bus';
import { HumanDecision, PendingPermission, PermissionDecision } from '@baton/protocol';

/** What a parked request asks, in one line. */
export function describePending(p: PendingPermission): string {
  const r = p.request;
  const what = r.tool === 'Bash' ? `run \`${r.command ?? ''}\`` : `${r.tool.toLowerCase()} ${r.path ?? ''}`;
  return `${r.subtaskId} wants to ${what}${p.rule ? ` (rule ${p.rule})` : ''}`;
}

/**
 * Shows permission requests parked for a human. On a TTY it asks y/N and sends the answer; otherwise
 * it prints how to answer (`baton approve|deny <id> --run <runId>`), since the request stays parked.
 */
export function promptForPermissions(bus: Bus, options: { interactive: boolean; embedded: boolean }): Subscription {
  const rl = options.interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  let chain = Promise.resolve();
  const sub = bus.subscribe(bus.subjects.permPendingAll(), PendingPermission, (p) => {
    const id = p.request.id;
    const runId = p.request.runId;
    if (!rl) {
      const how = options.embedded
        ? 'this run is embedded and non-interactive: nobody can approve it, so it is denied when it expires; run on a TTY, add an allow rule to .baton/settings.json, or use --nats'
        : `answer with: baton approve ${id} --run ${runId} (or baton deny)`;
      process.stderr.write(
        `permission needed: ${describePending(p)} — request ${id}, expires ${new Date(p.expiresAt).toISOString()}\n  ${how}\n`,
      );
      return;
    }
    chain = chain.then(async () => {
      const answer = (await rl.question(`\npermission needed: ${describePending(p)}\nallow? [y/N] `))
        .trim()
        .toLowerCase();
      const decision = answer === 'y' || answer === 'yes' ? 'allow' : 'deny';
      const human: HumanDecision = {
        v: 1,
        requestId: id,
        runId,
        decision,
        reason: decision === 'allow' ? 'approved at the terminal' : 'denied at the terminal',
        by: 'terminal',
      };
      await bus
        .request(bus.subjects.permDecide(runId), HumanDecision, PermissionDecision, human)
        .catch((err: unknown) => {
          process.stderr.write(`could not send the answer: ${err instanceof Error ? err.message : String(err)}\n`);
        });
    });
  });
  return {
    unsubscribe: async () => {
      rl?.close();
      await sub.unsubscribe();
    },
  };
}
