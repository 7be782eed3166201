import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardView, GraphView } from '../../../src/shared/console-api';
import { boardItem, session, stateChanged } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const plan = boardItem({ title: 'Shopping cart totals', kind: 'plan', state: 'done', repo: 'demo/cart' });
const a = boardItem({ title: 'Add cart subtotal', state: 'in_review', parentId: plan.id });
const b = boardItem({ title: 'Add discount codes', state: 'blocked', parentId: plan.id });
const c = boardItem({ title: 'Add order total', state: 'blocked', parentId: plan.id });

function serve() {
  const plans: BoardView = { items: [plan], streamSeq: 3, truncated: false };
  const graph: GraphView = {
    nodes: [a, b, c],
    edges: [
      { from: a.id, to: b.id },
      { from: b.id, to: c.id },
    ],
    streamSeq: 3,
  };
  return fakeFetch({
    '/api/session': { body: session },
    '/api/work-items': { body: plans },
    '/api/graph': { body: graph },
  });
}

beforeEach(() => {
  FakeEventSource.install();
  // @xyflow/react measures its viewport and nodes; jsdom has no layout, so nothing to observe.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

/**
 * A node of the flow, found by its label. jsdom measures nothing, so @xyflow/react keeps every
 * node `visibility: hidden`, where role queries cannot reach it.
 */
function findNode(label: string) {
  return waitFor(
    () => {
      const node = document.querySelector<HTMLElement>(`.react-flow__node[aria-label="${label}"]`);
      if (!node) throw new Error(`no node labelled ${label}`);
      return node;
    },
    { timeout: 3000 },
  );
}

describe('graph page', () => {
  it('offers the plans and a repository form when none is chosen', async () => {
    const fetch = serve();
    const { router } = renderApp('/graph');
    const link = await screen.findByRole('link', { name: 'Shopping cart totals' });
    expect(link).toHaveAttribute('href', `/graph?parentId=${plan.id}`);
    expect(fetch).toHaveBeenCalledWith('/api/work-items?kind=plan', expect.anything());

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Repository'), 'demo/cart{Enter}');
    expect(router.state.location.search).toBe('?repo=demo%2Fcart');
  });

  it('draws the plan, marks the critical path, and recolours a merged item', async () => {
    const fetch = serve();
    renderApp(`/graph?parentId=${plan.id}`);
    await screen.findByRole('list', { name: 'Critical path' });
    expect(fetch).toHaveBeenCalledWith(`/api/graph?parentId=${plan.id}`, expect.anything());

    const critical = () =>
      within(screen.getByRole('list', { name: 'Critical path' }))
        .getAllByRole('link')
        .map((l) => l.textContent);
    expect(critical()).toEqual(['Add cart subtotal', 'Add discount codes', 'Add order total']);
    const node = await findNode('Add cart subtotal, in_review');
    expect(node).toHaveStyle({ background: 'var(--group-review)' });
    expect(node).toHaveClass('on-critical-path');
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent('Critical path');

    await FakeEventSource.opened();
    act(() => {
      FakeEventSource.last.emit(stateChanged(4, a.id, 'in_review', 'merged'));
      FakeEventSource.last.emit(stateChanged(5, b.id, 'blocked', 'queued'));
    });
    const merged = await findNode('Add cart subtotal, merged');
    expect(merged).toHaveStyle({ background: 'var(--group-done)' });
    expect(merged).not.toHaveClass('on-critical-path');
    expect(await findNode('Add discount codes, queued')).toHaveStyle({ background: 'var(--group-queued)' });
    expect(critical()).toEqual(['Add discount codes', 'Add order total']);
  });

  it('opens the work item when a node is clicked', async () => {
    serve();
    const { router } = renderApp(`/graph?repo=demo/cart`);
    fireEvent.click(await findNode('Add order total, blocked'));
    expect(router.state.location.pathname).toBe(`/work/${c.id}`);
  });
});
