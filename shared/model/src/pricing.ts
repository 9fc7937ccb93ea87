import type { Usage } from '@baton/protocol';

/** USD per million tokens for one model family; cache writes cost 1.25x input, cache reads 0.1x input. */
export interface ModelPrice {
  family: string;
  inputPerMTok: number;
  outputPerMTok: number;
}

// Anthropic list prices by family, first match wins (newer generations before the older ones they shadow).
const priceTable: readonly (ModelPrice & { match: RegExp })[] = [
  { family: 'opus-4.5+', match: /opus-(4-[5-9]|[5-9])/, inputPerMTok: 5, outputPerMTok: 25 },
  { family: 'opus', match: /opus/, inputPerMTok: 15, outputPerMTok: 75 },
  { family: 'sonnet', match: /sonnet/, inputPerMTok: 3, outputPerMTok: 15 },
  { family: 'haiku-4.5+', match: /haiku-(4-[5-9]|[5-9])/, inputPerMTok: 1, outputPerMTok: 5 },
  { family: 'haiku-3.5', match: /3-5-haiku|haiku-3-5/, inputPerMTok: 0.8, outputPerMTok: 4 },
  { family: 'haiku', match: /haiku/, inputPerMTok: 0.25, outputPerMTok: 1.25 },
];

/**
 * The fallback for model ids no family matches (new families, compatible servers): Opus 4.5+ rates,
 * the dearest current list price, so budgets err on stopping early rather than overspending.
 */
export const FALLBACK_PRICE: ModelPrice = {
  family: 'unknown (priced as opus-4.5+)',
  inputPerMTok: 5,
  outputPerMTok: 25,
};

/** The price of a model id by family, or FALLBACK_PRICE. */
export function priceFor(model: string): ModelPrice {
  const hit = priceTable.find((p) => p.match.test(model));
  return hit
    ? { family: hit.family, inputPerMTok: hit.inputPerMTok, outputPerMTok: hit.outputPerMTok }
    : FALLBACK_PRICE;
}

/** Token counts of one call as the Messages API reports them. */
export interface ApiUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Converts the API's usage of one call into Baton's Usage, with its cost in USD. */
export function usageOf(model: string, usage: ApiUsage): Usage {
  const price = priceFor(model);
  const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
  const cacheReadTokens = usage.cache_read_input_tokens ?? 0;
  const costUsd =
    (usage.input_tokens * price.inputPerMTok +
      cacheWriteTokens * price.inputPerMTok * 1.25 +
      cacheReadTokens * price.inputPerMTok * 0.1 +
      usage.output_tokens * price.outputPerMTok) /
    1_000_000;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens,
    cacheWriteTokens,
    costUsd,
    modelCalls: 1,
  };
}
