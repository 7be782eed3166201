import { act, fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role, WorkItemPage } from '../../../src/shared/console-api';
import { detail, session, stateChanged } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const item = detail({ title: 'Add gift cards', state: 'running', repo: 'demo/cart' });
const path = `/api/work-items/${item.id}/cancel`;

function serve(role: Role, cancel: { status?: number; body: unknown } = { status: 202, body: {} }) {
  const page: WorkItemPage = { workItem: item, streamSeq: 5 };
  return fakeFetch({
    '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role }] } },
    [`/api/work-items/${item.id}`]: { body: page },
    [path]: cancel,
  });
}

async function openConfirm() {
  renderApp(`/work/${item.id}`);
  fireEvent.click(await screen.findByRole('button', { name: 'Cancel work item' }));
  return screen.getByRole('dialog', { name: 'Cancel this work item?' });
}

beforeEach(() => FakeEventSource.install());

describe('cancelling a work item', () => {
  it('is not offered to a viewer of the repository', async () => {
    serve('viewer');
    renderApp(`/work/${item.id}`);
    await screen.findByRole('heading', { level: 1, name: 'Add gift cards' });
    expect(screen.queryByRole('button', { name: 'Cancel work item' })).toBeNull();
  });

  it('asks first, sends the CSRF token, is disabled while in flight, and goes once the item is cancelled', async () => {
    const fetch = serve('member');
    const dialog = await openConfirm();
    expect(dialog).toHaveTextContent('“Add gift cards” stops');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(fetch.mock.calls.some(([url]) => String(url) === path)).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel work item' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toBeDisabled();
    expect(await screen.findByText(/^Cancellation requested/)).toHaveAttribute('role', 'status');
    const [, init] = fetch.mock.calls.find(([url]) => String(url) === path)!;
    expect(init).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'csrf-123' } });

    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(stateChanged(6, item.id, 'running', 'cancelled')));
    expect(screen.getByText('cancelled')).toHaveClass('badge');
    expect(screen.queryByRole('button', { name: 'Cancel work item' })).toBeNull();
  });

  it('says what failed and what to do, and lets the person try again', async () => {
    serve('member', {
      status: 503,
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'ingress did not answer; try again in a moment',
      },
    });
    const dialog = await openConfirm();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, cancel it' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cancelling failed: ingress did not answer; try again in a moment');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(screen.getByRole('dialog', { name: 'Cancel this work item?' })).toBeInTheDocument();
  });

  it('has no serious or critical accessibility violations while confirming', async () => {
    serve('admin');
    await openConfirm();
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
