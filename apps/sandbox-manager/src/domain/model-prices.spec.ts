import { costOf, defaultModelPrices, priceOf } from './model-prices';

const usage = {
  model: 'claude-sonnet-4-5-20250929',
  input: 1_200,
  output: 60,
  cachedInput: 1_000,
  cacheWriteInput: 100,
};

describe('model prices', () => {
  it('matches dated ids by the longest prefix, provider-qualified first, gateway vendor/ ids by their model part', () => {
    expect(priceOf(defaultModelPrices, 'openai', 'gpt-4o-mini-2024-07-18')).toBe(
      defaultModelPrices['gpt-4o-mini'],
    );
    expect(priceOf(defaultModelPrices, 'openai', 'gpt-4o-2024-08-06')).toBe(defaultModelPrices['gpt-4o']);
    expect(priceOf(defaultModelPrices, 'openai-compatible', 'openai/o3-mini')).toBe(
      defaultModelPrices['o3-mini'],
    );
    const table = { ...defaultModelPrices, 'openai-compatible:gpt-4o': { input: 1, output: 1 } };
    expect(priceOf(table, 'openai-compatible', 'gpt-4o-2024-08-06')).toEqual({ input: 1, output: 1 });
    expect(priceOf(table, 'openai', 'gpt-4o-2024-08-06')).toBe(defaultModelPrices['gpt-4o']);
  });

  it('charges plain, cached, cache-written and output tokens each at their price', () => {
    // 100 plain × $3 + 1000 cached × $0.30 + 100 written × $3.75 + 60 out × $15, per million.
    expect(costOf(defaultModelPrices, 'anthropic', usage)).toBe(0.001875);
  });

  it('says unpriced (null) for a model it does not know, never a made-up 0', () => {
    expect(costOf(defaultModelPrices, 'openai-compatible', { ...usage, model: 'scripted' })).toBeNull();
    expect(costOf(defaultModelPrices, 'openai-compatible', { ...usage, model: null })).toBeNull();
  });

  it('costs nothing for a request that used no tokens, whatever the model', () => {
    expect(
      costOf(defaultModelPrices, 'openai', {
        ...usage,
        model: null,
        input: 0,
        output: 0,
        cachedInput: 0,
        cacheWriteInput: 0,
      }),
    ).toBe(0);
  });
});
