import { act, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkItemDetail, WorkItemPage } from '../../../src/shared/console-api';
import { detail, session, stateChanged, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';
import { splitDescription } from './Description';

const blocker = uuid();
const blocked = uuid();
const runId = uuid();

const item = detail({
  title: 'Add discount codes',
  state: 'in_review',
  description:
    'Customers enter a code at checkout.\nIt applies once.\n\n## Acceptance criteria\n- [ ] SAVE10 takes 10% off\n- Unknown codes are refused\n\n## Notes\nKeep it small. <script>alert(1)</script>',
  sourceRefs: {
    trackerIssue: { provider: 'linear', id: 'i1', identifier: 'CART-2', url: 'https://linear.test/CART-2' },
    pullRequest: { provider: 'local', number: 2, url: 'http://forge.test/pull/2', branch: 'b', repo: {} },
    slackThread: { teamId: 'T1', channel: 'C42', threadTs: '1.2' },
  },
  blockedBy: [blocker],
  blocks: [blocked],
  runs: [
    {
      id: runId,
      attempt: 1,
      flavour: 'implement',
      harness: 'codex',
      branch: 'horizon/b',
      outcome: 'succeeded',
      failureReason: null,
      commitSha: 'abc',
      queuedAt: '2026-12-01T10:00:00.000Z',
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:11.000Z',
      inputTokens: 12000,
      outputTokens: 3400,
      costUsd: 0.42,
      toolCalls: 0,
      verification: [
        { command: 'npm test', exitCode: 0, durationMs: 2200 },
        { command: 'npm run lint', exitCode: 1, durationMs: 900 },
      ],
      friction: [],
      browser: [],
    },
  ],
  timeline: [
    {
      runId: null,
      actor: 'pm-agent',
      action: 'transition',
      fromState: 'received',
      toState: 'blocked',
      cause: 'waiting on Add cart subtotal',
      at: '2026-12-01T10:00:00.000Z',
    },
  ],
});

function serve(workItem: WorkItemDetail, streamSeq = 5) {
  const page: WorkItemPage = { workItem, streamSeq };
  return fakeFetch({ '/api/session': { body: session }, [`/api/work-items/${workItem.id}`]: { body: page } });
}

beforeEach(() => FakeEventSource.install());

describe('work item page', () => {
  it('shows the item, its criteria, dependencies, sources, runs and timeline', async () => {
    serve(item);
    renderApp(`/work/${item.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Add discount codes' })).toBeInTheDocument();
    expect(screen.getByText('in_review')).toHaveClass('badge');

    const criteria = screen.getByRole('region', { name: 'Acceptance criteria' });
    expect(
      within(criteria)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['SAVE10 takes 10% off', 'Unknown codes are refused']);
    // Text, never markup: the description's tag shows as written.
    expect(screen.getByText(/Keep it small\. <script>/)).toBeInTheDocument();
    expect(document.querySelector('script')).toBeNull();

    expect(screen.getByRole('link', { name: blocker.slice(0, 8) })).toHaveAttribute(
      'href',
      `/work/${blocker}`,
    );
    expect(screen.getByRole('link', { name: blocked.slice(0, 8) })).toHaveAttribute(
      'href',
      `/work/${blocked}`,
    );
    expect(screen.getByRole('link', { name: 'Issue CART-2' })).toHaveAttribute(
      'href',
      'https://linear.test/CART-2',
    );
    // A local forge pull request opens in the console's pull request page.
    expect(screen.getByRole('link', { name: 'Pull request #2' })).toHaveAttribute(
      'href',
      '/pulls/demo/cart/2',
    );
    expect(screen.getByText('Slack thread in C42')).toBeInTheDocument();

    const table = screen.getByRole('table');
    // The harness each run used, in its own column.
    const harnessColumn = within(table)
      .getAllByRole('columnheader')
      .findIndex((th) => th.textContent === 'Harness');
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell')[harnessColumn]).toHaveTextContent('codex');
    expect(row).toHaveTextContent('implement');
    expect(row).toHaveTextContent('12,000 / 3,400');
    expect(row).toHaveTextContent('$0.42');
    expect(row).toHaveTextContent('11.0 s');
    expect(row).toHaveTextContent('npm run lint exit 1');

    const timeline = screen.getByRole('region', { name: 'Timeline' });
    expect(timeline).toHaveTextContent('received → blocked');
    expect(timeline).toHaveTextContent('by pm-agent');
    expect(timeline).toHaveTextContent('waiting on Add cart subtotal');
  });

  it('names the webhook trigger or schedule that started an item', async () => {
    const tickAt = '2026-12-04T03:00:00.000Z';
    const id = uuid();
    serve(
      detail({
        id,
        title: 'Nightly sweep',
        sourceRefs: {
          webhookTrigger: { id: 't1', name: 'sentry-checkout', deliveryId: 'sentry-checkout:abc123' },
          schedule: { id: uuid(), name: 'nightly-deps', tickAt },
        },
      }),
    );
    renderApp(`/work/${id}`);
    const sources = await screen.findByRole('region', { name: 'Sources' });
    expect(sources).toHaveTextContent('Webhook trigger sentry-checkout, delivery sentry-checkout:abc123');
    const tick = new Date(tickAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    expect(sources).toHaveTextContent(`Schedule nightly-deps, tick of ${tick}`);
  });

  it('shows a state change at once and reads the item again for its timeline', async () => {
    const fetch = serve(item);
    renderApp(`/work/${item.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Add discount codes' });
    await FakeEventSource.opened();
    act(() => {
      FakeEventSource.last.emit(stateChanged(6, item.id, 'in_review', 'merged'));
      FakeEventSource.last.emit(stateChanged(6, item.id, 'in_review', 'revising'));
      FakeEventSource.last.emit(stateChanged(7, uuid(), 'queued', 'running'));
    });
    expect(screen.getByText('merged')).toHaveClass('badge');
    // One reload for the burst, after the debounce; the served item still says in_review.
    await screen.findByText('in_review', {}, { timeout: 2000 });
    expect(fetch.mock.calls.filter(([url]) => String(url).startsWith('/api/work-items/'))).toHaveLength(2);
  });

  it('names what failed when the item is not found', async () => {
    fakeFetch({ '/api/session': { body: session } });
    renderApp(`/work/${uuid()}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading this work item failed');
    expect(alert).toHaveTextContent('Check the link');
  });

  it('has no serious or critical accessibility violations', async () => {
    serve(item);
    const { container } = renderApp(`/work/${item.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Add discount codes' });
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});

describe('splitDescription', () => {
  it('returns the whole text when there are no criteria', () => {
    expect(splitDescription('  Just do it.\n')).toEqual({ body: 'Just do it.', criteria: [] });
  });

  it('takes numbered criteria under a plain "Acceptance criteria:" line', () => {
    expect(splitDescription('Intro\nAcceptance criteria:\n1. one\n2) two')).toEqual({
      body: 'Intro',
      criteria: ['one', 'two'],
    });
  });
});
