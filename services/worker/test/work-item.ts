import { WorkItem, type AgentKind } from '@baton/protocol';
import type { TempRepo } from './temp-repo.js';

/** A tester or shell work item of `runId` running `commands` in `repo`; the policy allows exactly those commands unless `allow` says otherwise. */
export function workItem(
  repo: TempRepo,
  runId: string,
  id: string,
  commands: string[],
  kind: AgentKind = 'shell',
  allow = commands.map((c) => `Bash(${c})`),
): WorkItem {
  return WorkItem.parse({
    v: 1,
    runId,
    attempt: 1,
    subtask: { id, kind, title: `${kind} ${id}`, commands },
    baseCommit: repo.commit,
    repo: { kind: 'local', path: repo.dir },
    policy: { allow },
    issuedAt: Date.now(),
  });
}
