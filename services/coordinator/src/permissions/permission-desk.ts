import type { Bus, Subscription } from '@baton/bus';
import type { Logger } from '@baton/log';
import { compilePolicy, evaluate, inWriteScope, type CompiledPolicy, type Decision } from '@baton/policy';
import {
  HumanDecision,
  PendingPermission,
  PermissionDecision,
  PermissionRequest,
  type PolicyConfig,
  type Subtask,
} from '@baton/protocol';
import { PermissionRequestNotFoundError } from '../errors.js';

/** What the desk needs to know about a run to judge its workers' requests. */
export interface RunPolicySource {
  policyOf(runId: string): { policy: PolicyConfig; subtask(subtaskId: string): Subtask | undefined } | undefined;
}

interface Parked {
  pending: PendingPermission;
  resolve: (decision: PermissionDecision) => void;
  timer: NodeJS.Timeout;
}

/**
 * The coordinator's permission authority. Answers workers' requests from the run's policy; an `ask`
 * is parked (published on `perm.<runId>.pending`) until a human decides (`perm.<runId>.decide`)
 * or its timeout denies it. Every decision is published on `perm.<runId>.decided` with its reason and rule.
 */
export class PermissionDesk {
  private readonly parked = new Map<string, Parked>();
  private readonly compiled = new Map<string, CompiledPolicy>();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly runs: RunPolicySource,
    private readonly log: Logger,
  ) {}

  /** Starts answering requests and human decisions. */
  start(): void {
    const s = this.bus.subjects;
    this.subscriptions = [
      this.bus.serve(s.permRequest(), PermissionRequest, PermissionDecision, (req) => this.decide(req), {
        queue: 'coordinators',
      }),
      this.bus.serve(s.permDecideAll(), HumanDecision, PermissionDecision, (d) => this.humanDecision(d), {
        queue: 'coordinators',
      }),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((sub) => sub.unsubscribe()));
    for (const id of [...this.parked.keys()]) this.settle(id, 'deny', 'the coordinator stopped', 'cancel');
  }

  /** Requests parked for a human, optionally of one run. */
  pending(runId?: string): PendingPermission[] {
    return [...this.parked.values()]
      .map((p) => p.pending)
      .filter((p) => runId === undefined || p.request.runId === runId);
  }

  /** Denies every parked request of a run (on cancel or stop). */
  cancelRun(runId: string, reason: string): void {
    for (const [id, p] of this.parked) if (p.pending.request.runId === runId) this.settle(id, 'deny', reason, 'cancel');
  }

  /** Judges one request: allow and deny answer at once; ask waits for a human or the timeout. */
  async decide(req: PermissionRequest): Promise<PermissionDecision> {
    const source = this.runs.policyOf(req.runId);
    if (!source) return this.record(req, 'deny', `run ${req.runId} is not active`, 'policy');
    const policy = this.policyFor(req.runId, source.policy);
    const decision = await this.evaluate(policy, req, source.subtask(req.subtaskId));
    if (decision.verdict !== 'ask') return this.record(req, decision.verdict, decision.reason, 'policy', decision.rule);
    return this.park(req, decision, source.policy.askTimeoutMs);
  }

  private async evaluate(
    policy: CompiledPolicy,
    req: PermissionRequest,
    subtask: Subtask | undefined,
  ): Promise<Decision> {
    if (req.tool === 'Bash') return evaluate(policy, { tool: 'Bash', command: req.command ?? '' });
    const path = req.path ?? '';
    return evaluate(policy, {
      tool: req.tool === 'Read' ? 'Read' : req.tool === 'Write' ? 'Write' : 'Edit',
      path,
      inScope: subtask !== undefined && inWriteScope(subtask.scope.write ?? subtask.scope.paths, path),
    });
  }

  private policyFor(runId: string, config: PolicyConfig): CompiledPolicy {
    let p = this.compiled.get(runId);
    if (!p) {
      p = compilePolicy(config);
      this.compiled.set(runId, p);
    }
    return p;
  }

  private park(req: PermissionRequest, decision: Decision, timeoutMs: number): Promise<PermissionDecision> {
    const pending: PendingPermission = {
      v: 1,
      request: req,
      verdict: 'ask',
      rule: decision.rule,
      expiresAt: Date.now() + timeoutMs,
    };
    return new Promise<PermissionDecision>((resolve) => {
      const timer = setTimeout(
        () => this.settle(req.id, 'deny', `nobody answered within ${Math.round(timeoutMs / 1000)} s`, 'timeout'),
        timeoutMs,
      );
      this.parked.set(req.id, { pending, resolve, timer });
      this.log.info(
        { requestId: req.id, runId: req.runId, tool: req.tool, command: req.command, path: req.path },
        'permission request parked for a human',
      );
      this.bus.publish(this.bus.subjects.permPending(req.runId), PendingPermission, pending).catch((err: unknown) => {
        this.log.error({ err, requestId: req.id }, 'could not publish a pending permission request');
      });
    });
  }

  private humanDecision(d: HumanDecision): PermissionDecision {
    const p = this.parked.get(d.requestId);
    if (!p || p.pending.request.runId !== d.runId) throw new PermissionRequestNotFoundError(d.requestId);
    const reason = d.reason || (d.decision === 'allow' ? `approved by ${d.by}` : `denied by ${d.by}`);
    return this.settle(d.requestId, d.decision, reason, 'human');
  }

  private settle(
    requestId: string,
    decision: 'allow' | 'deny',
    reason: string,
    by: PermissionDecision['decidedBy'],
  ): PermissionDecision {
    const p = this.parked.get(requestId);
    if (!p) throw new PermissionRequestNotFoundError(requestId);
    this.parked.delete(requestId);
    clearTimeout(p.timer);
    const result = this.record(p.pending.request, decision, reason, by, p.pending.rule);
    p.resolve(result);
    return result;
  }

  private record(
    req: PermissionRequest,
    decision: 'allow' | 'deny',
    reason: string,
    by: PermissionDecision['decidedBy'],
    rule?: string,
  ): PermissionDecision {
    const result: PermissionDecision = {
      v: 1,
      requestId: req.id,
      runId: req.runId,
      decision,
      reason,
      decidedBy: by,
      decidedAt: Date.now(),
      ...(rule ? { rule } : {}),
    };
    this.log.info(
      { requestId: req.id, runId: req.runId, subtaskId: req.subtaskId, tool: req.tool, decision, reason, rule, by },
      'permission decision',
    );
    this.bus.publish(this.bus.subjects.permDecided(req.runId), PermissionDecision, result).catch((err: unknown) => {
      this.log.error({ err, requestId: req.id }, 'could not publish a permission decision');
    });
    return result;
  }
}
