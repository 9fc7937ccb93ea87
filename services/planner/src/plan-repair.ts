import { SCHEMA_VERSION, type Failure, type Plan, type RunSpec, type Subtask, type TestReport } from '@baton/protocol';
import type { ModelClient } from '@baton/model';
import { shardFiles } from '@baton/recipes';
import { RepairNeedsModelError } from './errors.js';
import { diffSections, resolveFailureFile, testerFolder } from './failure-files.js';
import { formatFailure } from './format-failure.js';
import { listRepoFiles } from './repo-files.js';
import { createIdAllocator } from './subtask-ids.js';
import { writeScopeOf } from './write-overlaps.js';

/** What planRepair needs: the failed subtask and what went wrong (a PlanRequest's `repair` plus the run). */
export interface PlanRepairInput {
  spec: RunSpec;
  failed: Subtask;
  report?: TestReport;
  failures?: readonly Failure[];
  conflict?: string;
  /** The change already merged (a recipe's diff), shown to the editors for their files. */
  diff?: string;
  headCommit: string;
  /** Ids already in the run; repair ids never collide with them. */
  existingIds?: readonly string[];
  /** The repair editors are model agents: without a configured model there is no repair. */
  model?: Pick<ModelClient, 'config'>;
  /** When given, failure paths are checked against the files at `headCommit`. */
  repoPath?: string;
  /** Failing files per repair editor. Default 8. */
  maxFilesPerEditor?: number;
}

/** Context handed to one editor is cut here; the errors come first, so only the diff is lost. */
const MAX_CONTEXT_CHARS = 150_000;

/**
 * Repair subtasks for a failure. A failed tester: model editors scoped to the failing files (grouped by
 * folder, `maxFilesPerEditor` each) with their errors and the merged diff of those files as context, then
 * a re-test (same commands) depending on them. A merge conflict: one `resolve` editor with the conflict.
 * Any other failed subtask: one editor over its write scope with the errors.
 * @throws RepairNeedsModelError listing the failures when no model is configured.
 */
export async function planRepair(input: PlanRepairInput): Promise<Plan> {
  const { failed, conflict } = input;
  const failures = dedupe([...(input.failures ?? []), ...(input.report?.failures ?? [])]);
  const model = input.model?.config;
  if (model === undefined || (model.apiKey === undefined && model.baseURL === undefined))
    throw new RepairNeedsModelError(failed.id, failures, conflict);
  const ids = createIdAllocator(input.existingIds ?? []);
  const root = failed.id.replace(/-(retest|resolve)(-\d+)?$/, '');

  if (conflict !== undefined) {
    const subtask: Subtask = {
      id: ids.next(root, 'resolve'),
      kind: 'editor',
      title: `resolve the merge conflict of ${failed.id}`.slice(0, 200),
      instructions: `The change of subtask "${failed.id}" (${failed.title}) conflicts with the integration branch at ${input.headCommit}. Make the same change again on the current code, keeping what others merged.\n\nIts instructions were:\n${failed.instructions || failed.program?.recipe.kind || '(none)'}`,
      scope: failed.scope,
      deps: [],
      budget: failed.budget,
      context: cut(
        `Merge conflict:\n${conflict}${input.diff === undefined ? '' : `\n\nThe change that conflicted:\n${input.diff}`}`,
      ),
    };
    return { v: SCHEMA_VERSION, summary: `Resolve the merge conflict of ${failed.id}.`, subtasks: [subtask] };
  }

  const folder = testerFolder(failed);
  const repoFiles =
    input.repoPath === undefined
      ? undefined
      : new Set((await listRepoFiles(input.repoPath, input.headCommit)).map((f) => f.path));
  const byFile = new Map<string, Failure[]>();
  const unplaced: Failure[] = [];
  for (const f of failures) {
    const file = f.file === undefined ? undefined : resolveFailureFile(f.file, folder, repoFiles);
    if (file === undefined) unplaced.push(f);
    else byFile.set(file, [...(byFile.get(file) ?? []), { ...f, file }]);
  }
  const cause = input.spec.recipe === undefined ? 'the earlier subtasks' : `the ${input.spec.recipe.kind} recipe`;
  const lead = `"${failed.id}" failed on ${input.headCommit} after ${cause}${input.spec.task === '' ? '' : ` (task: ${input.spec.task.slice(0, 2000)})`}.`;
  const editor = (files: readonly string[], errors: readonly Failure[], diff: string): Subtask =>
    repairEditor({
      id: ids.next(root, 'fix', editors.length + 1),
      failedId: failed.id,
      lead,
      files,
      errors,
      unplaced,
      diff,
    });
  const sections = diffSections(input.diff ?? '');
  const editors: Subtask[] = [];
  const groups =
    byFile.size > 0
      ? shardFiles(
          [...byFile.keys()].map((p) => ({ path: p, size: 0 })),
          { maxFiles: input.maxFilesPerEditor ?? 8, maxBytes: Infinity },
        )
      : [];
  for (const files of groups) {
    const errors = files.flatMap((f) => byFile.get(f) ?? []);
    const diff = files.flatMap((f) => sections.get(f) ?? []).join('');
    editors.push(editor(files, errors, diff));
  }
  if (editors.length === 0) {
    const scope =
      failed.kind === 'tester' ? (folder === '' ? [] : [folder]) : writeScopeOf(failed).filter((p) => p !== '');
    editors.push(editor(scope, [], input.diff ?? ''));
  }
  if (failed.kind !== 'tester')
    return { v: SCHEMA_VERSION, summary: `Repair ${failed.id} with ${editors.length} editor.`, subtasks: editors };

  const retest: Subtask = {
    id: ids.next(root, 'retest'),
    kind: 'tester',
    title: `re-test: ${failed.title}`.slice(0, 200),
    instructions: failed.instructions,
    scope: failed.scope,
    deps: editors.map((e) => e.id),
    budget: failed.budget,
    ...(failed.commands === undefined ? {} : { commands: failed.commands }),
  };
  return {
    v: SCHEMA_VERSION,
    summary: `Repair ${failed.id}: ${editors.length} editors fix ${byFile.size} failing files, then ${retest.id} re-runs its tests.`,
    subtasks: [...editors, retest],
  };
}

interface RepairEditorInput {
  id: string;
  failedId: string;
  /** The first line of the context: what failed, where, after what. */
  lead: string;
  files: readonly string[];
  errors: readonly Failure[];
  /** Failures without a file we could place, shown to every editor. */
  unplaced: readonly Failure[];
  diff: string;
}

function repairEditor({ id, failedId, lead, files, errors, unplaced, diff }: RepairEditorInput): Subtask {
  const where = files.length === 0 ? 'the failing code' : files.join(', ');
  const lines = [
    lead,
    ...(errors.length > 0 ? ['', 'Errors in your files:', ...errors.map(formatFailure)] : []),
    ...(unplaced.length > 0
      ? [
          '',
          errors.length > 0 ? 'Other failures of the same check (for reference):' : 'Failures:',
          ...unplaced.slice(0, 50).map(formatFailure),
        ]
      : []),
    ...(diff === '' ? [] : ['', `The change already merged for these files (unified diff):`, diff]),
  ];
  return {
    id,
    kind: 'editor',
    title:
      `fix ${files.length === 1 ? files[0]! : files.length === 0 ? failedId : `${files.length} files`} after ${failedId}`.slice(
        0,
        200,
      ),
    instructions:
      `Fix the failures listed in the context in ${where}. The change already merged is intended: complete it, never revert it. ` +
      'Change only files in your scope, then check your edit compiles.',
    scope: { paths: [...files] },
    deps: [],
    budget: {},
    context: cut(lines.join('\n')),
  };
}

function dedupe(failures: readonly Failure[]): Failure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = formatFailure(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cut(text: string): string {
  return text.length > MAX_CONTEXT_CHARS ? `${text.slice(0, MAX_CONTEXT_CHARS)}\n… (cut)` : text;
}
