/** @baton/model: Model client over @anthropic-ai/sdk: tools, streaming, prompt caching, retries, usage and cost. */
export {
  createModelClient,
  type ModelClient,
  type ModelClientDeps,
  type ModelCallOptions,
  type RetryInfo,
} from './model-client.js';
export { type ModelConfig, modelConfigFromEnv, parseModelConfig, DEFAULT_MODEL } from './model-config.js';
export { type ModelRequest, type ModelResponse, type ToolSpec, messageParams } from './model-request.js';
export { type ModelPrice, type ApiUsage, priceFor, usageOf, FALLBACK_PRICE } from './pricing.js';
export { toolResult } from './tool-result.js';
export { backoffDelayMs, retryAfterMs } from './retry-policy.js';
export {
  ModelNotConfiguredError,
  ModelAbortedError,
  ModelRequestError,
  ModelOverloadedError,
  ModelConfigError,
  ModelStreamStalledError,
  MODEL_SETUP_HINT,
} from './errors.js';
export type {
  MessageParam,
  ContentBlock,
  ContentBlockParam,
  TextBlock,
  ToolUseBlock,
  ToolResultBlockParam,
  TextBlockParam,
  ToolUseBlockParam,
  ToolChoice,
  StopReason,
} from '@anthropic-ai/sdk/resources/messages';
