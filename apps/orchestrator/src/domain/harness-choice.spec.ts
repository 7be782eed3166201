import { chooseHarness } from './harness-choice';

describe('harness choice', () => {
  it('takes the item label first, then the repository, then the default', () => {
    expect(chooseHarness(['fleet', 'harness:codex'], 'opencode', 'opencode')).toEqual({
      harness: 'codex',
      from: 'item label',
    });
    expect(chooseHarness(['fleet'], 'codex', 'opencode')).toEqual({ harness: 'codex', from: 'repository' });
    expect(chooseHarness([], null, 'opencode')).toEqual({ harness: 'opencode', from: 'default' });
  });

  it('reads the name case-insensitively and passes over one naming no harness', () => {
    expect(chooseHarness(['harness: CODEX'], null, 'opencode').harness).toBe('codex');
    expect(chooseHarness(['harness:claude-cod'], 'codex', 'opencode')).toEqual({
      harness: 'codex',
      from: 'repository',
    });
  });
});
