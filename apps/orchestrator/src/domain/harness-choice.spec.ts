import { chooseHarness } from './harness-choice';

describe('harness choice', () => {
  it('takes the item label first, then the repository, then the default', () => {
    expect(chooseHarness(['fleet', 'harness:codex'], 'implement', 'opencode', 'opencode')).toEqual({
      harness: 'codex',
      from: 'item label',
    });
    expect(chooseHarness(['fleet'], 'implement', 'codex', 'opencode')).toEqual({
      harness: 'codex',
      from: 'repository',
    });
    expect(chooseHarness([], 'implement', null, 'opencode')).toEqual({
      harness: 'opencode',
      from: 'default',
    });
  });

  it('reads the name case-insensitively and passes over one naming no harness', () => {
    expect(chooseHarness(['harness: CODEX'], 'implement', null, 'opencode').harness).toBe('codex');
    expect(chooseHarness(['Harness: Claude-Code'], 'review', null, 'opencode').harness).toBe('claude-code');
    expect(chooseHarness(['harness:claude-cod'], 'implement', 'codex', 'opencode')).toEqual({
      harness: 'codex',
      from: 'repository',
    });
  });

  it('takes the repository’s harness for the run’s flavour over its default, and the label over both', () => {
    const byFlavour = { default: 'codex', review: 'claude-code' } as const;
    expect(chooseHarness([], 'review', byFlavour, 'opencode')).toEqual({
      harness: 'claude-code',
      from: 'repository flavour',
    });
    expect(chooseHarness([], 'implement', byFlavour, 'opencode')).toEqual({
      harness: 'codex',
      from: 'repository',
    });
    expect(chooseHarness(['harness:opencode'], 'review', byFlavour, 'codex')).toEqual({
      harness: 'opencode',
      from: 'item label',
    });
  });

  it('falls back to the installation’s default for a flavour a map without a default leaves out', () => {
    expect(chooseHarness([], 'plan', { implement: 'codex' }, 'opencode')).toEqual({
      harness: 'opencode',
      from: 'default',
    });
    expect(chooseHarness([], 'implement', { implement: 'codex' }, 'opencode').harness).toBe('codex');
    expect(chooseHarness([], 'plan', {}, 'claude-code').harness).toBe('claude-code');
  });
});
