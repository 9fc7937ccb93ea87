import { describe, expect, it } from 'vitest';
import { ModelConfigError } from './errors.js';
import { DEFAULT_MODEL, modelConfigFromEnv, parseModelConfig } from './model-config.js';

describe('modelConfigFromEnv', () => {
  it('applies defaults and leaves the key unset when the environment is empty', () => {
    const config = modelConfigFromEnv({});
    expect(config).toEqual({ model: DEFAULT_MODEL, maxTokens: 8192, maxRetries: 4, timeoutMs: 300_000 });
  });

  it('reads the variables, treating empty ones as unset', () => {
    const config = modelConfigFromEnv({
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      BATON_MODEL: '',
      BATON_MAX_TOKENS: '2048',
      BATON_MODEL_MAX_RETRIES: '0',
    });
    expect(config).toMatchObject({
      apiKey: 'sk-test',
      baseURL: 'http://127.0.0.1:9999',
      model: DEFAULT_MODEL,
      maxTokens: 2048,
      maxRetries: 0,
    });
  });

  it('lets overrides win over the environment', () => {
    const config = modelConfigFromEnv({ BATON_MODEL: 'claude-haiku-4-5' }, { model: 'claude-opus-5', retryBaseMs: 5 });
    expect(config.model).toBe('claude-opus-5');
    expect(config.retryBaseMs).toBe(5);
  });

  it('names the variable at fault', () => {
    expect(() => modelConfigFromEnv({ BATON_MAX_TOKENS: 'lots' })).toThrow(ModelConfigError);
    expect(() => modelConfigFromEnv({ BATON_MAX_TOKENS: 'lots' })).toThrow(/^BATON_MAX_TOKENS: /);
    expect(() => modelConfigFromEnv({ ANTHROPIC_BASE_URL: 'not a url' })).toThrow(/^ANTHROPIC_BASE_URL: /);
    expect(() => modelConfigFromEnv({}, { maxTokens: -1 })).toThrow(/^maxTokens: /);
  });

  it('validates a hand-built config', () => {
    expect(() => parseModelConfig({ model: '', maxTokens: 1, maxRetries: 0, timeoutMs: 1 })).toThrow(/^model: /);
  });
});
