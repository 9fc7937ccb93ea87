/** @baton/model: Model client over @anthropic-ai/sdk: tools, streaming, prompt caching, retries, usage and cost. */
export const packageName = '@baton/model' as const;
