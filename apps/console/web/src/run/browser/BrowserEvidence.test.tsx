import { screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunPage } from '../../../../src/shared/console-api';
import type { BrowserEvidenceView, RunBrowserView } from '../../../../src/shared/run-browser';
import { session, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

const runId = uuid();

function file(
  kind: BrowserEvidenceView['kind'],
  page: string,
  target: BrowserEvidenceView['target'],
  round = 1,
) {
  const id = uuid();
  return {
    id,
    kind,
    page,
    path: `/${page}`,
    target,
    round,
    changedRatio: kind === 'visual_diff' ? (page === 'cart' ? 0.125 : 0) : null,
    contentType: kind === 'dom_snapshot' ? 'text/html' : 'image/png',
    sizeBytes: 1000,
    url: `/api/runs/${runId}/evidence/${id}`,
  } satisfies BrowserEvidenceView;
}

const evidence = {
  cartBase: file('screenshot', 'cart', 'base', 0),
  cartBaseDom: file('dom_snapshot', 'cart', 'base', 0),
  homeBase: file('screenshot', 'home', 'base', 0),
  cartFirst: file('screenshot', 'cart', 'change', 0),
  cartChange: file('screenshot', 'cart', 'change'),
  cartChangeDom: file('dom_snapshot', 'cart', 'change'),
  cartDiff: file('visual_diff', 'cart', 'diff'),
  homeChange: file('screenshot', 'home', 'change'),
  homeDiff: file('visual_diff', 'home', 'diff'),
};

const browser: RunBrowserView = {
  results: [
    { target: 'base', round: 0, outcome: 'passed', problems: [], summary: '2 pages' },
    {
      target: 'change',
      round: 0,
      outcome: 'failed',
      problems: ['cart: console error: TypeError: price is undefined', 'home: 404 /api/prices'],
      summary: '2 pages; 2 problem(s)',
    },
    {
      target: 'change',
      round: 1,
      outcome: 'passed',
      problems: [],
      summary: '2 pages; 1 of 2 changed from the base',
    },
  ],
  evidence: Object.values(evidence),
};

const page = (overrides: Partial<RunPage['browser']> = {}): RunPage => ({
  run: {
    id: runId,
    attempt: 1,
    flavour: 'implement',
    harness: 'opencode',
    branch: 'horizon/cart-teal',
    outcome: 'succeeded',
    failureReason: null,
    commitSha: 'abc1234',
    queuedAt: '2026-12-01T10:00:00.000Z',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:05:00.000Z',
    inputTokens: 1,
    outputTokens: 1,
    costUsd: 0,
    toolCalls: 1,
    verification: [],
    friction: [],
    browser: browser.results,
    durationMs: 300_000,
  },
  workItem: { id: uuid(), title: 'Teal cart', repo: 'demo/cart', state: 'in_review' },
  transcript: [],
  browser: { ...browser, ...overrides },
  streamSeq: 1,
});

function serve(answer: RunPage) {
  fakeFetch({ '/api/session': { body: session }, [`/api/runs/${runId}`]: { body: answer } });
}

beforeEach(() => FakeEventSource.install());

describe('browser evidence on the run page', () => {
  it('comes right after the run’s facts, before the transcript', async () => {
    serve(page());
    renderApp(`/runs/${runId}`);
    const section = await screen.findByRole('region', { name: 'Browser evidence' });
    const transcript = screen.getByRole('region', { name: 'Transcript' });
    expect(section.compareDocumentPosition(transcript) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(document.querySelector('.facts')!.compareDocumentPosition(section)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

  it('shows each check’s outcome, summary and problems', async () => {
    serve(page());
    renderApp(`/runs/${runId}`);
    const section = await screen.findByRole('region', { name: 'Browser evidence' });
    const checks = within(section)
      .getAllByRole('listitem')
      .filter((li) => li.parentElement!.classList.contains('browser-checks'));
    expect(checks.map((c) => c.firstChild!.textContent)).toEqual(['passed', 'failed', 'passed']);
    expect(checks[0]).toHaveTextContent('Base — 2 pages');
    expect(checks[2]).toHaveTextContent('Change, round 1 — 2 pages; 1 of 2 changed from the base');
    const problems = within(checks[1]!).getByRole('list', { name: 'Problems of the change check' });
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map((p) => p.textContent),
    ).toEqual(browser.results[1]!.problems);
  });

  it('puts each page’s base, last change and diff side by side, each opening the full image', async () => {
    serve(page());
    renderApp(`/runs/${runId}`);
    await screen.findByRole('region', { name: 'Browser evidence' });
    const cart = screen.getByRole('heading', { name: 'cart (/cart)' }).closest('li')!;
    const images = within(cart).getAllByRole('img');
    expect(images.map((i) => i.getAttribute('src'))).toEqual([
      evidence.cartBase.url,
      evidence.cartChange.url, // round 1's, not round 0's
      evidence.cartDiff.url,
    ]);
    expect(images.map((i) => i.closest('a')!.getAttribute('href'))).toEqual(
      images.map((i) => i.getAttribute('src')),
    );
    expect(within(cart).getByText('Diff — 12.5% changed')).toBeInTheDocument();
    const home = screen.getByRole('heading', { name: 'home (/home)' }).closest('li')!;
    expect(within(home).getByText('Diff — unchanged')).toBeInTheDocument();
  });

  it('offers DOM snapshots as downloads, never as pages', async () => {
    serve(page());
    renderApp(`/runs/${runId}`);
    await screen.findByRole('region', { name: 'Browser evidence' });
    const base = screen.getByRole('link', { name: 'DOM snapshot of the base (cart)' });
    const change = screen.getByRole('link', { name: 'DOM snapshot of the change (cart)' });
    expect(base).toHaveAttribute('href', evidence.cartBaseDom.url);
    expect(change).toHaveAttribute('href', evidence.cartChangeDom.url);
    for (const link of [base, change]) expect(link).toHaveAttribute('download');
    expect(screen.queryByRole('link', { name: /DOM snapshot of the \w+ \(home\)/ })).toBeNull();
  });

  it('has no section at all when the run has no browser results', async () => {
    serve(page({ results: [], evidence: [evidence.cartBase] }));
    renderApp(`/runs/${runId}`);
    await screen.findByRole('region', { name: 'Transcript' });
    expect(screen.queryByRole('region', { name: 'Browser evidence' })).toBeNull();
    expect(screen.queryByText('Browser evidence')).toBeNull();
  });

  it('says so when a check ran but kept no screenshot', async () => {
    serve(page({ results: [browser.results[0]!], evidence: [] }));
    renderApp(`/runs/${runId}`);
    const section = await screen.findByRole('region', { name: 'Browser evidence' });
    expect(section).toHaveTextContent('No screenshots were kept.');
  });

  it('has no serious or critical accessibility violations', async () => {
    serve(page());
    const { container } = renderApp(`/runs/${runId}`);
    await screen.findByRole('region', { name: 'Browser evidence' });
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
