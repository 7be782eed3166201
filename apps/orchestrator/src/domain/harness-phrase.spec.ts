import { harnessNamedIn, labelsWithHarnessNamedIn } from './harness-phrase';

describe('harnessNamedIn', () => {
  it.each([
    ['<@U07HZNBOT> fix the flaky test using codex', 'codex'],
    ['fix the flaky test with Claude Code', 'claude-code'],
    ['harness: opencode', 'opencode'],
    ['Harness:OpenCode, please', 'opencode'],
    ['agent=codex', 'codex'],
    ['USE CODEX for this one', 'codex'],
    ['via the claude-code harness', 'claude-code'],
    ['run it on the codex harness', 'codex'],
    ['with OpenAI Codex', 'codex'],
    ['with claudecode', 'claude-code'],
    ['using open-code.', 'opencode'],
    ['using *Claude Code*', 'claude-code'],
    ['harness: `codex`', 'codex'],
    ['(with "codex")', 'codex'],
    ["with codex's help", 'codex'],
    ['fix it\nusing\tcodex', 'codex'],
  ])('%j → %s', (text, harness) => {
    expect(harnessNamedIn(text)).toBe(harness);
  });

  it.each([
    ['the last mention wins', 'using codex — no, with Claude Code', 'claude-code'],
    ['a later phrasing of another kind', 'harness: opencode, or rather the codex harness', 'codex'],
    ['an unknown name is passed over', 'using codex; harness: aider', 'codex'],
    ['a negated one is passed over', "use opencode, don't use codex", 'opencode'],
  ])('%s', (_, text, harness) => {
    expect(harnessNamedIn(text)).toBe(harness);
  });

  it.each([
    ['no harness named', 'fix the flaky test in checkout'],
    ['a bare name is no request', 'the codex parser crashes on empty input'],
    ['not a whole word', 'using codexes'],
    ['a longer name', 'with codex-like rules'],
    ['a host name', 'with codex.io as the backend'],
    ['a path', 'using codex/cli from the vendor folder'],
    ['another word', 'refactor without codex'],
    ['a URL', 'see https://example.com/docs?harness:codex'],
    ['a Slack link', 'read <https://github.com/openai/codex|using codex>'],
    ['two words are not OpenCode', 'review it with open code review practices'],
    ['only unknown names', 'harness: aider'],
    ['negated', 'do not use codex'],
    ['no text', null],
    ['undefined', undefined],
  ])('%s → null', (_, text) => {
    expect(harnessNamedIn(text)).toBeNull();
  });
});

describe('labelsWithHarnessNamedIn', () => {
  it('adds the named harness as the harness label', () => {
    expect(labelsWithHarnessNamedIn(['bug'], 'fix it using codex')).toEqual(['bug', 'harness:codex']);
    expect(labelsWithHarnessNamedIn([], 'fix it')).toEqual([]);
  });

  it('keeps a label that already picks one as the only choice, and passes over one naming none', () => {
    expect(labelsWithHarnessNamedIn(['Harness: Claude-Code'], 'using codex')).toEqual([
      'Harness: Claude-Code',
    ]);
    expect(labelsWithHarnessNamedIn(['harness:aider'], 'using codex')).toEqual([
      'harness:aider',
      'harness:codex',
    ]);
  });
});
