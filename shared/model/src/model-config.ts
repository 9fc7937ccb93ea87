import { z } from 'zod';
import { ModelConfigError } from './errors.js';

/** The model Baton uses when BATON_MODEL is unset: the newest Sonnet the installed SDK knows and does not deprecate. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** How the model client reaches the Messages API and how hard it tries. */
export interface ModelConfig {
  /** Anthropic API key; absent with a `baseURL` means a placeholder key (compatible servers, tests). */
  apiKey?: string;
  /** Messages API base URL; default `https://api.anthropic.com`. */
  baseURL?: string;
  model: string;
  /** Default `max_tokens` of a call. */
  maxTokens: number;
  /** Retries after the first attempt on 429 / 529 / 5xx / connection errors. */
  maxRetries: number;
  /** Per attempt: the longest wait for response headers, and then the longest silence of the stream. */
  timeoutMs: number;
  /** Backoff base: attempt n waits a random time in [0, min(retryMaxDelayMs, retryBaseMs * 2^n)). Default 1000. */
  retryBaseMs?: number;
  /** Cap of a backoff delay, and the longest `retry-after` we wait out ourselves (longer ones fail fast). Default 60000. */
  retryMaxDelayMs?: number;
}

const defaults = { model: DEFAULT_MODEL, maxTokens: 8192, maxRetries: 4, timeoutMs: 300_000 } as const;

const optionalString = z.string().trim().min(1).optional();
const positiveInt = z.coerce.number().int().positive();

// Env names -> the ModelConfig field each one sets; the names appear in error messages.
const envFields = {
  ANTHROPIC_API_KEY: { field: 'apiKey', schema: optionalString },
  ANTHROPIC_BASE_URL: { field: 'baseURL', schema: z.url({ protocol: /^https?$/ }).optional() },
  BATON_MODEL: { field: 'model', schema: optionalString },
  BATON_MAX_TOKENS: { field: 'maxTokens', schema: positiveInt.optional() },
  BATON_MODEL_MAX_RETRIES: { field: 'maxRetries', schema: z.coerce.number().int().min(0).max(20).optional() },
  BATON_MODEL_TIMEOUT_MS: { field: 'timeoutMs', schema: positiveInt.optional() },
} as const;

const ConfigSchema = z.strictObject({
  apiKey: z.string().min(1).optional(),
  baseURL: z.url({ protocol: /^https?$/ }).optional(),
  model: z.string().min(1),
  maxTokens: z.number().int().positive(),
  maxRetries: z.number().int().min(0).max(20),
  timeoutMs: z.number().int().positive(),
  retryBaseMs: z.number().int().min(0).optional(),
  retryMaxDelayMs: z.number().int().min(0).optional(),
});

/** Validates a hand-built config, naming the offending field. */
export function parseModelConfig(config: ModelConfig): ModelConfig {
  const parsed = ConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ModelConfigError(issue?.path.join('.') || 'ModelConfig', issue?.message ?? 'invalid');
}

/**
 * Reads the model config from the environment (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, BATON_MODEL,
 * BATON_MAX_TOKENS, BATON_MODEL_MAX_RETRIES, BATON_MODEL_TIMEOUT_MS); `overrides` win over both env and defaults.
 * Empty variables count as unset. A missing key is not an error here: the client fails at call time.
 * @example const config = modelConfigFromEnv(process.env, { maxTokens: 4096 });
 */
export function modelConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ModelConfig> = {},
): ModelConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [variable, { field, schema }] of Object.entries(envFields)) {
    const raw = env[variable];
    const parsed = schema.safeParse(raw === undefined || raw.trim() === '' ? undefined : raw.trim());
    if (!parsed.success) throw new ModelConfigError(variable, parsed.error.issues[0]?.message ?? 'invalid');
    if (parsed.data !== undefined) fromEnv[field] = parsed.data;
  }
  const merged = { ...defaults, ...fromEnv, ...stripUndefined(overrides) };
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const variable = Object.entries(envFields).find(([, v]) => v.field === field && !(field in overrides))?.[0];
    throw new ModelConfigError(variable ?? field, issue?.message ?? 'invalid');
  }
  return parsed.data;
}

function stripUndefined(o: Partial<ModelConfig>): Partial<ModelConfig> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
