import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import { resourceNamesFor, type Result, type Run } from '@baton/protocol';
import { MergeLedger } from '../merge/merge-ledger.js';
import { Merger } from '../merge/merger.js';
import type { MergePort } from './ports.js';
import { DiffMissingError } from '../errors.js';

/** The run controller's MergePort over git: the Merger (integration branches) and its KV ledger. */
export async function createGitMergePort(bus: Bus, log: Logger): Promise<MergePort> {
  const merger = new Merger({
    ledger: await MergeLedger.open(bus, resourceNamesFor(bus.subjects.prefix).ledgerBucket),
    logger: log,
  });
  const opened = new Set<string>();
  const ensureOpen = async (run: Run) => {
    if (opened.has(run.id)) return;
    await merger.open({ repoPath: run.spec.repo.path, runId: run.id, baseCommit: run.baseCommit! });
    opened.add(run.id);
  };
  return {
    open: ensureOpen,
    head: async (runId) => {
      const head = await merger.branch(runId).currentHead();
      if (head === null) throw new Error(`the integration branch of run ${runId} is gone`);
      return head;
    },
    merge: async (run: Run, result: Result, currentAttempt: number, title: string) => {
      await ensureOpen(run);
      return merger.mergeResult({
        runId: run.id,
        subtaskId: result.subtaskId,
        attempt: result.attempt,
        currentAttempt,
        diff: await diffOf(bus, result),
        message: `${title}\n\n${result.summary}`.trim(),
      });
    },
    recover: async (run: Run) => {
      await ensureOpen(run);
      await merger.recoverLedger(run.id);
    },
    close: (runId: string) => {
      if (!opened.delete(runId)) return;
      merger.close(runId);
    },
  };
}

/** The Result's diff, fetched from the object store when it was too large to travel in the message. */
async function diffOf(bus: Bus, result: Result): Promise<string> {
  if (!result.diffRef) return result.diff;
  const store = await bus.objectStore(result.diffRef.bucket);
  const bytes = await store.getBytes(result.diffRef.object);
  if (!bytes) throw new DiffMissingError(result.diffRef.bucket, result.diffRef.object);
  return Buffer.from(bytes).toString('utf8');
}
