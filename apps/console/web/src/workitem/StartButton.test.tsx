import { act, fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role, WorkItemPage, WorkItemView } from '../../../src/shared/console-api';
import { detail, session, stateChanged } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

function serve(
  role: Role,
  state: WorkItemView['state'] = 'planned',
  start: { status?: number; body: unknown } = { status: 202, body: {} },
) {
  const item = detail({ title: 'Add a lint script', state, repo: 'demo/cart' });
  const page: WorkItemPage = { workItem: item, streamSeq: 5 };
  const fetch = fakeFetch({
    '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role }] } },
    [`/api/work-items/${item.id}`]: { body: page },
    [`/api/work-items/${item.id}/start`]: start,
  });
  return { item, fetch, path: `/api/work-items/${item.id}/start` };
}

const title = () => screen.findByRole('heading', { level: 1, name: 'Add a lint script' });

beforeEach(() => FakeEventSource.install());

describe('starting a planned work item', () => {
  it('queues a planned item for a member, sending the CSRF token, and goes once it is queued', async () => {
    const { item, fetch, path } = serve('member');
    renderApp(`/work/${item.id}`);
    await title();
    expect(screen.getByText(/It is planned: it waits for a person/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(screen.getByRole('button', { name: 'Starting…' })).toBeDisabled();
    expect(await screen.findByText(/^Start requested/)).toHaveAttribute('role', 'status');
    const [, init] = fetch.mock.calls.find(([url]) => String(url) === path)!;
    expect(init).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'csrf-123' } });

    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(stateChanged(6, item.id, 'planned', 'queued')));
    expect(screen.getByText('queued')).toHaveClass('badge');
    expect(screen.queryByRole('button', { name: /^Start/ })).toBeNull();
  });

  it('is offered to an admin too, beside Cancel (which rejects a proposal)', async () => {
    const { item } = serve('admin');
    renderApp(`/work/${item.id}`);
    await title();
    expect(screen.getByRole('button', { name: 'Start' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Cancel work item' })).toBeEnabled();
  });

  it('is not offered for an item in another state, nor to a viewer', async () => {
    for (const state of ['queued', 'running', 'blocked', 'failed'] as const) {
      const other = serve('member', state);
      const view = renderApp(`/work/${other.item.id}`);
      await title();
      expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
      view.unmount();
    }

    const viewed = serve('viewer');
    renderApp(`/work/${viewed.item.id}`);
    await title();
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
  });

  it('says why a start was refused', async () => {
    const { item } = serve('member', 'planned', {
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'the work item is queued, not planned: only a planned item waits to be started',
      },
    });
    renderApp(`/work/${item.id}`);
    await title();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Starting failed: the work item is queued, not planned');
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
