import type { Verdict } from '@baton/protocol';

/** An action to judge: a shell command line, or a file operation on a repository-relative path. */
export type PolicyAction =
  { tool: 'Bash'; command: string } | { tool: 'Edit' | 'Write' | 'Read'; path: string; inScope: boolean };

/** The verdict on one part of a compound command. */
export interface PartDecision {
  text: string;
  verdict: Verdict;
  rule?: string;
  reason: string;
}

/** A policy decision with a human-readable reason and the rule that made it (if a rule did). */
export interface Decision {
  verdict: Verdict;
  rule?: string;
  reason: string;
  /** Bash only: every part's own verdict, in source order. */
  parts?: PartDecision[];
}

const RANK: Record<Verdict, number> = { allow: 0, ask: 1, deny: 2 };

/** The first decision with the strictest verdict. */
export function strictest<T extends { verdict: Verdict }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const d of items) if (best === undefined || RANK[d.verdict] > RANK[best.verdict]) best = d;
  return best;
}
