import { describe, expect, it } from 'vitest';
import { FALLBACK_PRICE, priceFor, usageOf } from './pricing.js';

describe('priceFor', () => {
  it('prices by model family, newer generations first', () => {
    expect(priceFor('claude-sonnet-5-5')).toMatchObject({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(priceFor('claude-opus-4-6')).toMatchObject({ inputPerMTok: 5, outputPerMTok: 25 });
    expect(priceFor('claude-opus-4-1-20250805')).toMatchObject({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(priceFor('claude-haiku-4-5-20251001')).toMatchObject({ inputPerMTok: 1, outputPerMTok: 5 });
    expect(priceFor('claude-3-5-haiku-latest')).toMatchObject({ inputPerMTok: 0.8, outputPerMTok: 4 });
  });

  it('falls back to the documented price for unknown models', () => {
    expect(priceFor('some-local-model')).toBe(FALLBACK_PRICE);
  });
});

describe('usageOf', () => {
  it('counts one call and treats missing cache counts as zero', () => {
    expect(
      usageOf('claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 0, cache_read_input_tokens: null }),
    ).toEqual({
      inputTokens: 1_000_000,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 1,
      modelCalls: 1,
    });
  });
});
