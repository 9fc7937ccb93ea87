import { z } from 'zod';
import type { Bus } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { PlannerOptionsError } from './errors.js';

/** What the planner service runs with, as a caller writes it; compilePlannerOptions fills in the defaults. */
export interface PlannerOptions {
  bus: Bus;
  logger?: Logger;
  /** The model client for task plans (and the sign that repair editors can run); absent: recipes only. */
  model?: ModelClient;
  /** Model calls per task plan. Default 3. */
  maxTries?: number;
  /**
   * Plans larger than this (JSON bytes) are replied by reference to the plans object bucket. Default 256 KiB, and
   * never more than a quarter of the bus's max payload.
   */
  planInlineLimit?: number;
}

/**
 * Plans up to this size travel in the reply. A larger one (a rename over tens of thousands of files lists them all)
 * would not fit in a NATS message (max_payload, 1 MiB by default, was never enough for ~15,000 paths): it is stored
 * in the plans bucket and the reply names it. Well under the limit, as the reply's envelope and the record's other
 * fields add to it.
 */
export const PLAN_INLINE_LIMIT = 256 * 1024;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

const PlannerOptionsSchema = z.strictObject({
  bus: z.custom<Bus>(isObject, 'must be a Bus'),
  logger: z.custom<Logger>(isObject, 'must be a Logger').optional(),
  model: z.custom<ModelClient>(isObject, 'must be a ModelClient').optional(),
  maxTries: z.number().int().positive().default(3),
  planInlineLimit: z.number().int().positive().default(PLAN_INLINE_LIMIT),
});

/** PlannerOptions with every default filled in and every value checked: what the planner runs with. */
export type CompiledPlannerOptions = Omit<z.output<typeof PlannerOptionsSchema>, 'logger'> & { logger: Logger };

/**
 * Checks the planner's options once, at start, and fills in the defaults (the inline plan limit is capped at a
 * quarter of the bus's max payload); a bad value fails at once with PlannerOptionsError naming the option.
 * @example compilePlannerOptions({ bus }).maxTries // 3
 */
export function compilePlannerOptions(raw: PlannerOptions): CompiledPlannerOptions {
  const parsed = PlannerOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new PlannerOptionsError(option || '(options)', issue.message, { cause: parsed.error });
  }
  const options = parsed.data;
  return {
    ...options,
    logger: options.logger ?? silentLogger(),
    planInlineLimit: Math.min(options.planInlineLimit, options.bus.maxPayload / 4),
  };
}
