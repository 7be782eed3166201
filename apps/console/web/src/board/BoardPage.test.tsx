import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BoardItem, BoardView } from '../../../src/shared/console-api';
import { boardItem, runFinished, session, stateChanged, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

function serve(items: BoardItem[], streamSeq = 10) {
  const board: BoardView = { items, streamSeq, truncated: false };
  return fakeFetch({ '/api/session': { body: session }, '/api/work-items': { body: board } });
}

function column(name: string): HTMLElement {
  return screen.getByRole('region', { name: new RegExp(`^${name}`) });
}

const a = boardItem({ title: 'Add cart subtotal', state: 'running', repo: 'demo/cart', labels: ['ui'] });
const b = boardItem({ title: 'Add discount codes', state: 'blocked', kind: 'plan', ownerId: 'github:bob' });
const c = boardItem({
  title: 'Add order total',
  state: 'in_review',
  repo: 'demo/shop',
  latestRun: { id: uuid(), outcome: 'succeeded', verification: 'passed' },
  pullRequest: { number: 7, url: 'http://forge.test/demo/shop/pull/7', provider: 'local' },
});
const d = boardItem({
  title: 'Rate limits',
  state: 'in_review',
  repo: 'demo/api',
  pullRequest: { number: 9, url: 'https://github.com/demo/api/pull/9', provider: 'github' },
});

beforeEach(() => FakeEventSource.install());

describe('board', () => {
  it('links a GitHub pull request out to GitHub', async () => {
    serve([d]);
    renderApp('/board');
    expect(await screen.findByRole('link', { name: 'PR #9' })).toHaveAttribute(
      'href',
      'https://github.com/demo/api/pull/9',
    );
  });

  it('groups items into columns by state and shows each card’s facts', async () => {
    serve([a, b, c]);
    renderApp('/board');
    await screen.findByText('Add cart subtotal');

    expect(within(column('Working')).getByText('Add cart subtotal')).toBeInTheDocument();
    expect(within(column('Backlog')).getByText('Add discount codes')).toBeInTheDocument();
    const review = column('In review');
    expect(within(review).getByText('in_review')).toBeInTheDocument();
    expect(within(review).getByText('run: succeeded')).toBeInTheDocument();
    expect(within(review).getByText('checks passed')).toBeInTheDocument();
    // A local forge pull request opens in the console; a GitHub one links out.
    expect(within(review).getByRole('link', { name: 'PR #7' })).toHaveAttribute('href', '/pulls/demo/shop/7');
    expect(within(review).getByRole('link', { name: 'Add order total' })).toHaveAttribute(
      'href',
      `/work/${c.id}`,
    );
    expect(within(column('Done')).getByText('Nothing here')).toBeInTheDocument();
  });

  it('filters by state, kind, repository, owner and label, and keeps them in the URL', async () => {
    const fetch = serve([a, b, c]);
    const { router } = renderApp('/board?repo=demo/cart');
    await screen.findByText('Add cart subtotal');
    expect(screen.queryByText('Add order total')).not.toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith('/api/work-items?repo=demo%2Fcart', expect.anything());

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Kind'), 'plan');
    await screen.findByText('Add discount codes');
    expect(screen.queryByText('Add cart subtotal')).not.toBeInTheDocument();
    expect(router.state.location.search).toBe('?kind=plan&repo=demo%2Fcart');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.type(screen.getByLabelText('Label'), 'ui{Enter}');
    await screen.findByText('Add cart subtotal');
    expect(screen.queryByText('Add discount codes')).not.toBeInTheDocument();

    await user.clear(screen.getByLabelText('Label'));
    await user.type(screen.getByLabelText('Owner'), 'github:bob{Enter}');
    await screen.findByText('Add discount codes');
    expect(screen.queryByText('Add cart subtotal')).not.toBeInTheDocument();
    expect(router.state.location.search).toBe('?owner=github%3Abob');

    await user.selectOptions(screen.getByLabelText('State'), 'running');
    expect(await screen.findByText(/No work item matches these filters/)).toBeInTheDocument();
  });

  it('moves a card when its state changes, and applies each event once', async () => {
    serve([a, b, c]);
    renderApp('/board');
    await screen.findByText('Add cart subtotal');
    const source = await FakeEventSource.opened();
    expect(source.url).toBe('/api/events?after=10');

    act(() => {
      source.open();
      source.emit(stateChanged(11, a.id, 'running', 'in_review'));
    });
    expect(within(column('In review')).getByText('Add cart subtotal')).toBeInTheDocument();
    expect(within(column('Working')).queryByText('Add cart subtotal')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Live');

    act(() => {
      source.emit(stateChanged(12, a.id, 'in_review', 'merged'));
      // Redelivered after a reconnect: already applied, so it must not move the card back.
      source.emit(stateChanged(11, a.id, 'running', 'in_review'));
      source.emit(runFinished(13, b.id, uuid(), [0, 1]));
      source.emit(runFinished(13, b.id, uuid(), [0]));
    });
    expect(within(column('Done')).getByText('Add cart subtotal')).toBeInTheDocument();
    expect(within(column('Backlog')).getByText('checks failed')).toBeInTheDocument();
  });

  it('ignores events already counted in the fetched list', async () => {
    serve([a], 20);
    renderApp('/board');
    await screen.findByText('Add cart subtotal');
    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(stateChanged(20, a.id, 'queued', 'failed')));
    expect(within(column('Working')).getByText('Add cart subtotal')).toBeInTheDocument();
  });

  it('reads the list again when a work item is created', async () => {
    const items = [a];
    const fetch = serve(items);
    renderApp('/board');
    await screen.findByText('Add cart subtotal');
    items.push(boardItem({ title: 'Brand new item', state: 'received' }));
    await FakeEventSource.opened();
    act(() =>
      FakeEventSource.last.emit({ seq: 11, subject: 'hzn.evt.workitem.created', occurredAt: '', data: {} }),
    );
    expect(await screen.findByText('Brand new item')).toBeInTheDocument();
    expect(fetch.mock.calls.filter(([url]) => String(url).startsWith('/api/work-items'))).toHaveLength(2);
  });

  it('shows the reconnecting state when the stream drops', async () => {
    serve([a]);
    renderApp('/board');
    await screen.findByText('Add cart subtotal');
    await FakeEventSource.opened();
    act(() => FakeEventSource.last.drop());
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
  });

  it('says what to do when there is no work yet', async () => {
    serve([]);
    renderApp('/board');
    expect(await screen.findByText('No work yet.')).toBeInTheDocument();
    expect(screen.getByText('npm start')).toBeInTheDocument();
  });

  it('names what failed when the list cannot be read', async () => {
    fakeFetch({
      '/api/session': { body: session },
      '/api/work-items': {
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable', message: 'the orchestrator did not answer' },
      },
    });
    renderApp('/board');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading the board failed: the orchestrator did not answer');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('says how to sign in again when the session ends while browsing', async () => {
    fakeFetch({
      '/api/session': { body: session },
      '/api/work-items': {
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: 'session expired' },
      },
    });
    renderApp('/board');
    expect(await screen.findByRole('alert')).toHaveTextContent('npm run -s horizon -- console link');
  });

  it('has no serious or critical accessibility violations', async () => {
    serve([a, b, c]);
    const { container } = renderApp('/board');
    await screen.findByText('Add cart subtotal');
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('renders 1,000 items, fifty per column until "show all"', async () => {
    const states = ['received', 'queued', 'running', 'in_review', 'merged', 'failed'] as const;
    const many = Array.from({ length: 1000 }, (_, i) =>
      boardItem({ title: `Generated ${i}`, state: states[i % states.length] }),
    );
    serve(many);
    const started = performance.now();
    renderApp('/board');
    await screen.findByText('Generated 0');
    const elapsed = performance.now() - started;
    console.log(`[board] 1,000 items rendered in ${elapsed.toFixed(0)} ms`);

    const working = column('Working');
    expect(within(working).getAllByRole('listitem')).toHaveLength(50);
    await userEvent.setup().click(within(working).getByRole('button', { name: 'Show all 167' }));
    await waitFor(() => expect(within(working).getAllByRole('listitem')).toHaveLength(167));

    // Every card on the page at once: the worst case a person can ask for.
    const allStarted = performance.now();
    act(() => screen.getAllByRole('button', { name: /^Show all/ }).forEach((button) => button.click()));
    expect(document.querySelectorAll('.card')).toHaveLength(1000);
    console.log(`[board] all 1,000 cards shown in ${(performance.now() - allStarted).toFixed(0)} ms`);
  });
});
