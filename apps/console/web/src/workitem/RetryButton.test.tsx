import { act, fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role, WorkItemPage, WorkItemView } from '../../../src/shared/console-api';
import { detail, session, stateChanged } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

function serve(
  role: Role,
  state: WorkItemView['state'] = 'failed',
  retry: { status?: number; body: unknown } = { status: 202, body: {} },
) {
  const item = detail({ title: 'Add gift cards', state, repo: 'demo/cart' });
  const page: WorkItemPage = { workItem: item, streamSeq: 5 };
  const fetch = fakeFetch({
    '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role }] } },
    [`/api/work-items/${item.id}`]: { body: page },
    [`/api/work-items/${item.id}/retry`]: retry,
  });
  return { item, fetch, path: `/api/work-items/${item.id}/retry` };
}

const title = () => screen.findByRole('heading', { level: 1, name: 'Add gift cards' });

beforeEach(() => FakeEventSource.install());

describe('retrying a work item', () => {
  it('queues a failed item again for a member, sending the CSRF token, and goes once it is queued', async () => {
    const { item, fetch, path } = serve('member');
    renderApp(`/work/${item.id}`);
    await title();
    expect(screen.getByText(/It is failed: a retry queues it again/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByRole('button', { name: 'Retrying…' })).toBeDisabled();
    expect(await screen.findByText(/^Retry requested/)).toHaveAttribute('role', 'status');
    const [, init] = fetch.mock.calls.find(([url]) => String(url) === path)!;
    expect(init).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'csrf-123' } });

    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(stateChanged(6, item.id, 'failed', 'queued')));
    expect(screen.getByText('queued')).toHaveClass('badge');
    expect(screen.queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it.each(['cancelled', 'timed_out'] as const)('is offered for a %s item', async (state) => {
    const { item } = serve('admin', state);
    renderApp(`/work/${item.id}`);
    await title();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled();
  });

  it('is not offered while the item is at work or done, nor to a viewer', async () => {
    const running = serve('member', 'running');
    renderApp(`/work/${running.item.id}`);
    await title();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();

    const viewed = serve('viewer', 'failed');
    renderApp(`/work/${viewed.item.id}`);
    await screen.findAllByRole('heading', { level: 1, name: 'Add gift cards' });
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says why a retry was refused', async () => {
    const { item } = serve('member', 'failed', {
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'a queued work item cannot be retried: only a failed, cancelled or timed-out one can',
      },
    });
    renderApp(`/work/${item.id}`);
    await title();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Retrying failed: a queued work item cannot be retried');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('has no serious or critical accessibility violations', async () => {
    const { item } = serve('member');
    renderApp(`/work/${item.id}`);
    await title();
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
