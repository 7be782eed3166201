import { ConfigError, parseConfig } from '@horizon/config';
import { configShape, modelProviderConfig, priceTable } from './config';
import { defaultModelPrices } from './domain/model-prices';

const { SANDBOX_MODEL_PROVIDER, SANDBOX_MODEL_BASE_URL, SANDBOX_MODEL_API_KEY } = configShape;
const modelShape = { SANDBOX_MODEL_PROVIDER, SANDBOX_MODEL_BASE_URL, SANDBOX_MODEL_API_KEY };

/** The model provider sandbox-manager would run with, from these variables. */
const providerFrom = (env: Record<string, string>) => modelProviderConfig(parseConfig(modelShape, env));

/** The one line an operator would read, or null when the variables are accepted. */
function refusal(env: Record<string, string>): string | null {
  try {
    providerFrom(env);
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

describe('the model provider from SANDBOX_MODEL_*', () => {
  it('is none when nothing is set', () => {
    expect(providerFrom({})).toBeNull();
  });

  it('needs only a key for anthropic and openai: their public API is the default base URL', () => {
    expect(providerFrom({ SANDBOX_MODEL_PROVIDER: 'anthropic', SANDBOX_MODEL_API_KEY: 'sk-ant' })).toEqual({
      provider: 'anthropic',
      baseUrl: 'https://api.anthropic.com/v1',
      apiKey: 'sk-ant',
    });
    expect(providerFrom({ SANDBOX_MODEL_PROVIDER: 'openai', SANDBOX_MODEL_API_KEY: 'sk-oa' })).toEqual({
      provider: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-oa',
    });
  });

  it('takes a base URL over the default, and is openai-compatible when no provider is named', () => {
    expect(
      providerFrom({ SANDBOX_MODEL_BASE_URL: 'http://127.0.0.1:8070/v1', SANDBOX_MODEL_API_KEY: 'k' }),
    ).toEqual({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8070/v1', apiKey: 'k' });
    expect(
      providerFrom({
        SANDBOX_MODEL_PROVIDER: 'anthropic',
        SANDBOX_MODEL_BASE_URL: 'https://gateway.example/anthropic/v1',
        SANDBOX_MODEL_API_KEY: 'k',
      })?.baseUrl,
    ).toBe('https://gateway.example/anthropic/v1');
  });

  it('refuses a provider without its key, or a key with nowhere to send it, naming the variable', () => {
    expect(refusal({ SANDBOX_MODEL_PROVIDER: 'anthropic' })).toBe(
      'config: SANDBOX_MODEL_API_KEY is required: an API key for the anthropic provider',
    );
    expect(refusal({ SANDBOX_MODEL_BASE_URL: 'http://127.0.0.1:8070/v1' })).toBe(
      'config: SANDBOX_MODEL_API_KEY is required: an API key for the openai-compatible provider',
    );
    expect(refusal({ SANDBOX_MODEL_API_KEY: 'k' })).toBe(
      'config: SANDBOX_MODEL_BASE_URL is required: a URL: SANDBOX_MODEL_PROVIDER=openai-compatible has no default base URL',
    );
  });

  it('refuses an unknown provider and a base URL that is not one', () => {
    expect(() => parseConfig(modelShape, { SANDBOX_MODEL_PROVIDER: 'gemini' })).toThrow(
      'config: SANDBOX_MODEL_PROVIDER="gemini" is invalid: one of openai-compatible, openai, anthropic',
    );
    expect(() => parseConfig(modelShape, { SANDBOX_MODEL_BASE_URL: 'api.anthropic.com' })).toThrow(
      'SANDBOX_MODEL_BASE_URL="api.anthropic.com" is invalid',
    );
  });
});

describe('MODEL_PRICES', () => {
  const prices = (env: Record<string, string>) =>
    priceTable(parseConfig({ MODEL_PRICES: configShape.MODEL_PRICES }, env));

  it('is the built-in list prices when unset, and overrides or adds models when set', () => {
    expect(prices({})).toEqual(defaultModelPrices);
    const table = prices({
      MODEL_PRICES: '{"gpt-4o":{"input":1,"output":2},"my-model":{"input":0.5,"output":1}}',
    });
    expect(table['gpt-4o']).toEqual({ input: 1, output: 2 });
    expect(table['my-model']).toEqual({ input: 0.5, output: 1 });
    expect(table['claude-sonnet-4']).toEqual(defaultModelPrices['claude-sonnet-4']);
  });

  it('refuses what is not JSON or not a price, naming the variable', () => {
    for (const bad of ['{gpt', '{"gpt-4o":{"input":1}}', '{"gpt-4o":{"input":-1,"output":1}}']) {
      expect(() => prices({ MODEL_PRICES: bad })).toThrow(
        /^config: MODEL_PRICES=.* is invalid: a JSON object/,
      );
    }
  });
});
