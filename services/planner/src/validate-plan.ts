import { Plan, type Subtask } from '@baton/protocol';
import type { z } from 'zod';
import { analysePlanGraph } from './plan-graph.js';
import { indexRepoFiles, type RepoIndex } from './repo-index.js';
import { compileScopeEntry } from './scope-entry.js';
import { findWriteOverlaps } from './write-overlaps.js';

/** Options of validatePlan. */
export interface ValidatePlanOptions {
  /** Files of the repository at the base commit; when given, every scope entry must match something in it. */
  repoFiles?: ReadonlySet<string> | readonly string[];
  /** Upper bound on the number of subtasks (a run's `limits.maxSubtasks`). */
  maxSubtasks?: number;
}

/** The outcome of validatePlan: the parsed plan, or every error found, each a sentence a model can act on. */
export type PlanValidation = { ok: true; plan: Plan } | { ok: false; errors: string[] };

/** At most this many overlap errors are listed; the rest are counted. */
const MAX_OVERLAP_ERRORS = 20;

/**
 * Parses and checks a plan: schema, empty plan, size limit, duplicate ids, unknown dependencies,
 * cycles, scopes outside the repository, and parallel subtasks with overlapping write scopes
 * (rule in `findWriteOverlaps`).
 * @example
 * const v = validatePlan(input, { repoFiles, maxSubtasks: 100 });
 * if (!v.ok) console.log(v.errors.join('\n'));
 */
export function validatePlan(input: unknown, options: ValidatePlanOptions = {}): PlanValidation {
  const parsed = Plan.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaErrors(parsed.error, input) };
  const plan = parsed.data;
  const { subtasks } = plan;
  if (subtasks.length === 0) return { ok: false, errors: ['the plan has no subtasks: a plan needs at least one'] };

  const errors: string[] = [];
  if (options.maxSubtasks !== undefined && subtasks.length > options.maxSubtasks) {
    errors.push(
      `the plan has ${subtasks.length} subtasks, more than the limit of ${options.maxSubtasks}: merge related work into fewer subtasks`,
    );
  }
  const firstIndex = new Map<string, number>();
  let duplicates = false;
  subtasks.forEach((s, i) => {
    const first = firstIndex.get(s.id);
    if (first === undefined) firstIndex.set(s.id, i);
    else {
      duplicates = true;
      errors.push(`duplicate subtask id "${s.id}" (subtasks[${first}] and subtasks[${i}]): ids must be unique`);
    }
  });
  const repo = options.repoFiles === undefined ? undefined : indexRepoFiles(options.repoFiles);
  if (repo !== undefined) errors.push(...scopeErrors(subtasks, repo));
  // the graph checks need unique ids; report what we have rather than guess which duplicate is meant
  if (duplicates) return { ok: false, errors };

  const graph = analysePlanGraph(subtasks);
  errors.push(...graph.unknownDeps);
  for (const cycle of graph.cycles)
    errors.push(`dependency cycle: ${cycle.join(' -> ')} (each depends on the next; remove one of these deps)`);
  if (graph.cycles.length === 0) {
    const overlaps = findWriteOverlaps(subtasks, graph.parallel, repo);
    for (const o of overlaps.slice(0, MAX_OVERLAP_ERRORS)) {
      errors.push(
        `subtasks "${subtasks[o.a]!.id}" and "${subtasks[o.b]!.id}" can run in parallel but both may write ${o.evidence}: ` +
          'make one depend on the other, or give them disjoint write scopes',
      );
    }
    if (overlaps.length > MAX_OVERLAP_ERRORS)
      errors.push(
        `… and ${overlaps.length - MAX_OVERLAP_ERRORS} more pairs of parallel subtasks with overlapping write scopes`,
      );
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, plan };
}

/** Zod issues as `subtasks[2] ("fix-a").scope.paths[0]: must not contain ..`. */
function schemaErrors(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    let where = '';
    for (const [i, key] of issue.path.entries()) {
      if (typeof key === 'number') where += `[${key}]`;
      else where += where === '' ? String(key) : `.${String(key)}`;
      if (i === 1 && issue.path[0] === 'subtasks' && typeof key === 'number') where += idHint(input, key);
    }
    const got = valueAt(input, issue.path);
    return `${where === '' ? 'plan' : where}: ${issue.message}${typeof got === 'string' ? ` (got "${got.slice(0, 200)}")` : ''}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function idHint(input: unknown, index: number): string {
  if (typeof input !== 'object' || input === null) return '';
  const subtasks = (input as { subtasks?: unknown }).subtasks;
  const item: unknown = Array.isArray(subtasks) ? subtasks[index] : undefined;
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? ` ("${id.slice(0, 64)}")` : '';
}

/**
 * Scope entries that match nothing. A glob must match a file; a literal must be a file, a folder
 * holding files, or a new file directly inside an existing folder. Program files must exist.
 */
function scopeErrors(subtasks: readonly Subtask[], repo: RepoIndex): string[] {
  const errors: string[] = [];
  for (const s of subtasks) {
    for (const raw of new Set([...s.scope.paths, ...(s.scope.write ?? [])])) {
      const e = compileScopeEntry(raw);
      if (e.literal) {
        const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
        if (repo.files.has(e.path) || repo.folders.has(e.path) || repo.folders.has(parent)) continue;
        errors.push(
          `subtask "${s.id}": scope path "${raw}" matches nothing in the repository: no such file or folder, and its folder "${parent}" does not exist (a new file must go in an existing folder)`,
        );
      } else if (!repo.filesUnder(e.base).some((f) => e.covers(f))) {
        errors.push(`subtask "${s.id}": scope glob "${raw}" matches no file in the repository`);
      }
    }
    for (const file of s.program?.files ?? []) {
      if (!repo.files.has(file))
        errors.push(`subtask "${s.id}": program file "${file}" is not a file in the repository`);
    }
  }
  return errors;
}
