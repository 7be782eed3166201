import type { BrowserCheckResult } from '@horizon/contracts';
import { browserCheckMarkdown, evidenceAwaited, finalCheck, type LinkedEvidence } from './compose-browser';

const run = { runId: 'r1', consoleUrl: 'https://console.example/' };
const base: BrowserCheckResult = {
  target: 'base',
  round: 0,
  outcome: 'passed',
  problems: [],
  summary: '2 pages',
};
const change = (round: number, outcome: BrowserCheckResult['outcome'], problems: string[] = []) => ({
  target: 'change' as const,
  round,
  outcome,
  problems,
  summary: `2 pages; 1 of 2 changed from the base (round ${round})`,
});
const file = (artifactId: string, over: Partial<LinkedEvidence>): LinkedEvidence => ({
  artifactId,
  kind: 'screenshot',
  page: 'cart',
  target: 'change',
  round: 1,
  changedRatio: null,
  ...over,
});

describe('browser check in the PR summary', () => {
  const evidence = [
    file('old', { round: 0 }),
    file('base', { target: 'base', round: 0 }),
    file('cart-diff', { kind: 'visual_diff', target: 'diff', changedRatio: 0.1234 }),
    file('cart', {}),
    file('home', { page: 'home' }),
    file('home-diff', { page: 'home', kind: 'visual_diff', target: 'diff', changedRatio: 0 }),
  ];

  it("takes the change's last round as the verdict, whatever the order", () => {
    expect(finalCheck([base, change(1, 'passed'), change(0, 'failed')])?.round).toBe(1);
    expect(finalCheck([base])).toBeUndefined();
  });

  it('says it passed with the summary, and links each page’s change and diff of that round', () => {
    expect(browserCheckMarkdown(run, [base, change(0, 'failed'), change(1, 'passed')], evidence)).toBe(
      [
        '**Browser check:** passed — 2 pages; 1 of 2 changed from the base (round 1)',
        '',
        '- `cart`: [change](https://console.example/api/runs/r1/evidence/cart) · [diff, 12.3% changed](https://console.example/api/runs/r1/evidence/cart-diff)',
        '- `home`: [change](https://console.example/api/runs/r1/evidence/home) · [diff, unchanged](https://console.example/api/runs/r1/evidence/home-diff)',
      ].join('\n'),
    );
  });

  it('names the first problem of a failed check in a code span, so the page cannot mention or format', () => {
    const failed = change(1, 'failed', ['cart: console error: `@acme/team` broke', 'home: 404']);
    expect(browserCheckMarkdown(run, [failed], [])).toBe(
      "**Browser check:** failed: `cart: console error: '@acme/team' broke`",
    );
  });

  it('says nothing when the change was not checked', () => {
    expect(browserCheckMarkdown(run, [base], evidence)).toBeUndefined();
    expect(browserCheckMarkdown(run, [], [])).toBeUndefined();
  });

  it("awaits the final round's files only when that check ran", () => {
    expect(evidenceAwaited([base, change(1, 'passed')], [file('old', { round: 0 })])).toBe(true);
    expect(evidenceAwaited([base, change(1, 'passed')], evidence)).toBe(false);
    expect(evidenceAwaited([base, change(1, 'skipped')], [])).toBe(false);
    expect(evidenceAwaited([base], [])).toBe(false);
  });

  it('awaits a page whose screenshot came without its diff, when the base was there to compare', () => {
    const partly = evidence.filter((e) => e.artifactId !== 'home-diff');
    expect(evidenceAwaited([base, change(1, 'passed')], partly)).toBe(true);
    // Without a base capture no page has a diff: its screenshots are all there is.
    expect(evidenceAwaited([change(1, 'passed')], partly)).toBe(false);
  });
});
