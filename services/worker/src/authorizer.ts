import { nanoid } from 'nanoid';
import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import { evaluate, inWriteScope, type CompiledPolicy } from '@baton/policy';
import { PermissionDecision, PermissionRequest, type WorkItem } from '@baton/protocol';
import type { Authorization, AuthorizeAction } from '@baton/tools';

/** Options of createAuthorizer. */
export interface AuthorizerOptions {
  bus: Bus;
  item: WorkItem;
  workerId: string;
  policy: CompiledPolicy;
  log: Logger;
}

/**
 * The worker side of permissions: the policy the coordinator sent decides `allow` and `deny` here;
 * `ask` goes to the coordinator (`perm.request`), which may park it for a human. Commands the user
 * configured (the run's test and recipe commands, `trustedCommands`) are not asked about, but deny
 * rules still apply to them. A denial's reason goes back to the agent; the action never runs.
 */
export function createAuthorizer(options: AuthorizerOptions): (action: AuthorizeAction) => Promise<Authorization> {
  const { bus, item, workerId, policy, log } = options;
  const scope = item.subtask.scope.write ?? item.subtask.scope.paths;
  const trusted = new Set(item.trustedCommands);
  return async (action) => {
    const decision =
      action.tool === 'Bash'
        ? await evaluate(policy, { tool: 'Bash', command: action.command })
        : await evaluate(policy, { tool: action.tool, path: action.path, inScope: inWriteScope(scope, action.path) });
    if (decision.verdict === 'allow') return { allowed: true, reason: decision.reason };
    if (decision.verdict === 'deny') return { allowed: false, reason: decision.reason };
    if (action.tool === 'Bash' && trusted.has(action.command))
      return { allowed: true, reason: 'a command configured for this run' };
    const request: PermissionRequest = {
      v: 1,
      id: nanoid(12).replace(/^[_-]/, 'p'),
      runId: item.runId,
      subtaskId: item.subtask.id,
      attempt: item.attempt,
      workerId,
      tool: action.tool,
      ...(action.tool === 'Bash' ? { command: action.command } : { path: action.path }),
      reason: decision.reason,
      requestedAt: Date.now(),
    };
    log.info({ requestId: request.id, tool: action.tool }, 'asking the coordinator for permission');
    const answer = await bus.request(bus.subjects.permRequest(), PermissionRequest, PermissionDecision, request, {
      // The coordinator answers an ask when a human decides or its own timeout denies it.
      timeoutMs: item.policy.askTimeoutMs + 30_000,
    });
    return { allowed: answer.decision === 'allow', reason: answer.reason };
  };
}
