import type { DemoObservation } from './demo-scenario';
import type { DemoRun, DemoTransition } from './demo-world';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The demo's items by a short label: the plan, then A, B, C… in the plan's order. */
export function labels(observed: DemoObservation): Map<string, string> {
  const out = new Map<string, string>();
  if (observed.plan) out.set(observed.plan.id, 'plan');
  observed.children.forEach((c, i) => out.set(c.id, String.fromCharCode(65 + (i % 26))));
  return out;
}

/** A child's runs before it first reached review implement it; later ones answer reviews. */
function runKind(run: DemoRun, isPlan: boolean, firstReviewAt: Date | undefined): string {
  if (isPlan) return 'plan';
  return firstReviewAt && run.queuedAt > firstReviewAt ? 'revise' : 'implement';
}

export interface SummaryRow {
  item: string;
  title: string;
  state: string;
  runs: string;
  verification: string;
  /** The browser check of the last run's change (docs/browser-verification.md). */
  browser: string;
  pr: string;
}

/** One row per item: its runs (kind, outcome, wall time from queued to finished), checks and PR. */
export function summaryRows(
  observed: DemoObservation,
  runs: DemoRun[],
  transitions: DemoTransition[],
): SummaryRow[] {
  const names = labels(observed);
  const items = [...(observed.plan ? [observed.plan] : []), ...observed.children];
  return items.map((item) => {
    const own = runs.filter((r) => r.workItemId === item.id);
    const firstReviewAt = transitions.find((t) => t.workItemId === item.id && t.to === 'in_review')?.at;
    const runText = own
      .map((run) => {
        const mark = run.outcome === 'succeeded' ? '✓' : (run.outcome ?? 'running');
        const took = run.finishedAt ? ` ${seconds(run.finishedAt.getTime() - run.queuedAt.getTime())}` : '';
        return `${runKind(run, item.id === observed.plan?.id, firstReviewAt)} ${mark}${took}`;
      })
      .join(', ');
    const last = [...own].reverse().find((r) => r.verification.length > 0);
    const verification = last
      ? last.verification
          .map((v) => `${v.command} ${v.exitCode === 0 ? '✓' : `✗ (${v.exitCode})`} ${seconds(v.durationMs)}`)
          .join(', ')
      : '—';
    return {
      item: names.get(item.id) ?? '?',
      title: item.title,
      state: item.state,
      runs: runText || '—',
      verification,
      browser: browserText(own),
      pr: item.pullRequest ? item.pullRequest.url : '—',
    };
  });
}

/** The last browser check of a change: its outcome and what it saw, e.g. `✓ 1 page; 1 of 1 changed from the base`. */
function browserText(runs: DemoRun[]): string {
  const last = runs.flatMap((run) => run.browser.filter((b) => b.target === 'change')).at(-1);
  if (!last) return '—';
  const mark = last.outcome === 'passed' ? '✓' : last.outcome === 'failed' ? '✗' : 'skipped';
  return `${mark} ${last.summary}`;
}

/** The console pages holding each run's screenshots, base, change and diff. */
export function evidencePages(observed: DemoObservation, runs: DemoRun[], consoleUrl: string): string[] {
  const names = labels(observed);
  return runs
    .filter((run) => run.browser.length > 0)
    .map((run) => `${names.get(run.workItemId) ?? '?'}: ${consoleUrl}/runs/${run.id}`);
}

/**
 * How long each stage took, from the state changes: the plan (asked → done), each child's
 * implementation (queued → in review), review answered (revising → in review), and how soon a
 * merge started the work it unblocked (merged → next child queued).
 */
export function stageTimings(observed: DemoObservation, transitions: DemoTransition[]): string[] {
  const names = labels(observed);
  const of = (id: string, to: string, from?: string) =>
    transitions.find((t) => t.workItemId === id && t.to === to && (from === undefined || t.from === from));
  const span = (a?: DemoTransition, b?: DemoTransition) =>
    a && b ? seconds(b.at.getTime() - a.at.getTime()) : null;
  const out: string[] = [];
  if (observed.plan) {
    const took = span(
      transitions.find((t) => t.workItemId === observed.plan!.id),
      of(observed.plan.id, 'done'),
    );
    if (took) out.push(`plan ${took}`);
  }
  observed.children.forEach((child, i) => {
    const name = names.get(child.id);
    const implement = span(
      of(child.id, 'queued'),
      of(child.id, 'in_review', 'running') ?? of(child.id, 'in_review', 'verifying'),
    );
    if (implement) out.push(`${name} implement ${implement}`);
    const revise = span(of(child.id, 'revising'), of(child.id, 'in_review', 'revising'));
    if (revise) out.push(`${name} revise ${revise}`);
    const next = observed.children[i + 1];
    const handoff = next ? span(of(child.id, 'merged'), of(next.id, 'queued', 'blocked')) : null;
    if (handoff) out.push(`${name} merged → ${names.get(next!.id)} started ${handoff}`);
  });
  return out;
}
