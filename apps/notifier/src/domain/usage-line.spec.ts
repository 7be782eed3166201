import { usageLine } from './usage-line';

const row = {
  key: 'item',
  runs: 3,
  requests: 40,
  inputTokens: 39_000,
  outputTokens: 2_200,
  cachedInputTokens: 30_000,
  cacheWriteInputTokens: 0,
  costUsd: 0.3712,
  unpricedRequests: 0,
  harnessInputTokens: 0,
  harnessOutputTokens: 0,
};

describe('usageLine', () => {
  it('says runs, tokens and cost the way a PR summary reads', () => {
    expect(usageLine(row)).toBe('3 runs, 41.2K tokens, $0.37');
    expect(usageLine({ ...row, runs: 1, inputTokens: 900, outputTokens: 12, costUsd: 0 })).toBe(
      '1 run, 912 tokens, $0.00',
    );
  });

  it('names unpriced requests instead of pretending they cost nothing', () => {
    expect(usageLine({ ...row, unpricedRequests: 2 })).toBe(
      '3 runs, 41.2K tokens, $0.37 + 2 unpriced requests',
    );
  });
});
