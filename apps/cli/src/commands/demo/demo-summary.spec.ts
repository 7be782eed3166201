import type { BrowserCheckResult } from '@horizon/contracts';
import type { DemoObservation, ObservedItem } from './demo-scenario';
import { evidencePages, summaryRows } from './demo-summary';
import type { DemoRun } from './demo-world';

const item = (id: string, title: string): ObservedItem => ({
  id,
  title,
  state: 'merged',
  transitions: [],
  lastRunOutcome: 'succeeded',
  pullRequest: null,
});
const observed: DemoObservation = {
  plan: item('p', 'Plan'),
  children: [item('a', 'Subtotal'), item('b', 'Discounts')],
};
const check = (
  target: 'base' | 'change',
  round: number,
  outcome: BrowserCheckResult['outcome'],
  summary: string,
) => ({ target, round, outcome, problems: [], summary }) satisfies BrowserCheckResult;
const run = (id: string, workItemId: string, browser: BrowserCheckResult[]): DemoRun => ({
  id,
  workItemId,
  attempt: 1,
  outcome: 'succeeded',
  queuedAt: new Date(0),
  startedAt: null,
  finishedAt: null,
  verification: [],
  browser,
});

describe('the demo summary of browser checks', () => {
  const runs = [
    run('r-plan', 'p', []),
    run('r-a', 'a', [
      check('base', 0, 'passed', '1 page'),
      check('change', 0, 'failed', '1 page; 1 problem(s), first: console error'),
      check('change', 1, 'passed', '1 page; 1 of 1 changed from the base'),
    ]),
  ];

  it("shows the last check of each item's change, and a dash where there was none", () => {
    const rows = summaryRows(observed, runs, []);
    expect(rows.map((r) => [r.item, r.browser])).toEqual([
      ['plan', '—'],
      ['A', '✓ 1 page; 1 of 1 changed from the base'],
      ['B', '—'],
    ]);
  });

  it('names the console page of each run with screenshots', () => {
    expect(evidencePages(observed, runs, 'http://127.0.0.1:4000')).toEqual([
      'A: http://127.0.0.1:4000/runs/r-a',
    ]);
  });
});
