import { act, fireEvent, screen } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role, WorkItemPage, WorkItemView } from '../../../src/shared/console-api';
import { detail, session, stateChanged } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const reason = 'run limit of $1.00: $1.04 of $1.00 spent';

function serve(
  role: Role,
  state: WorkItemView['state'] = 'waiting',
  answer: { status?: number; body: unknown } = { status: 202, body: {} },
) {
  const item = detail({
    title: 'Add gift cards',
    state,
    repo: 'demo/cart',
    waiting: state === 'waiting' ? { kind: 'run', reason, answerBy: '2026-12-06T10:00:00.000Z' } : null,
  });
  const page: WorkItemPage = { workItem: item, streamSeq: 5 };
  const fetch = fakeFetch({
    '/api/session': { body: { ...session, grants: [{ repo: 'demo/cart', role }] } },
    [`/api/work-items/${item.id}`]: { body: page },
    [`/api/work-items/${item.id}/budget`]: answer,
  });
  return { item, fetch, path: `/api/work-items/${item.id}/budget` };
}

const title = () => screen.findByRole('heading', { level: 1, name: 'Add gift cards' });
const body = (fetch: ReturnType<typeof fakeFetch>, path: string) =>
  JSON.parse(String(fetch.mock.calls.find(([url]) => String(url) === path)![1]!.body)) as unknown;

beforeEach(() => FakeEventSource.install());

describe('answering a budget', () => {
  it('shows why the item waits and continues with the stated extra, then goes once it moves on', async () => {
    const { item, fetch, path } = serve('member');
    renderApp(`/work/${item.id}`);
    await title();
    expect(screen.getByRole('heading', { level: 2, name: 'Waiting at a budget' })).toBeInTheDocument();
    expect(screen.getByText(reason)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Extra dollars'), { target: { value: '3.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue (+$3.5)' }));
    expect(await screen.findByText(/^Continue with \$3.5 more sent/)).toHaveAttribute('role', 'status');
    expect(body(fetch, path)).toEqual({ action: 'continue', extraUsd: 3.5 });
    const [, init] = fetch.mock.calls.find(([url]) => String(url) === path)!;
    expect(init).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'csrf-123' } });

    await FakeEventSource.opened();
    act(() => FakeEventSource.last.emit(stateChanged(6, item.id, 'waiting', 'running')));
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('grants minutes too, for a run at its wall-time limit, refusing a part of a minute', async () => {
    const { item, fetch, path } = serve('member');
    renderApp(`/work/${item.id}`);
    await title();
    fireEvent.change(screen.getByLabelText('Extra minutes'), { target: { value: '2.5' } });
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Extra minutes'), { target: { value: '15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue (+$2, +15 min)' }));
    expect(await screen.findByText(/^Continue with \$2, 15 min more sent/)).toBeInTheDocument();
    expect(body(fetch, path)).toEqual({ action: 'continue', extraUsd: 2, extraMinutes: 15 });
  });

  it('stops it, and refuses to continue without an amount', async () => {
    const { item, fetch, path } = serve('admin');
    renderApp(`/work/${item.id}`);
    await title();
    fireEvent.change(screen.getByLabelText('Extra dollars'), { target: { value: '' } });
    expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(await screen.findByText(/^Stop sent; the run ends where it stands/)).toBeInTheDocument();
    expect(body(fetch, path)).toEqual({ action: 'stop' });
  });

  it('is offered only while the item waits', async () => {
    const running = serve('member', 'running');
    renderApp(`/work/${running.item.id}`);
    await title();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('says why an answer was refused', async () => {
    const refused = serve('member', 'waiting', {
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message: "answering its budget needs the item's owner or an admin",
      },
    });
    renderApp(`/work/${refused.item.id}`);
    await title();
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Answering the budget failed: answering its budget needs the item's owner",
    );
  });

  it('is not shown to a viewer, and has no serious accessibility violations', async () => {
    const viewed = serve('viewer');
    renderApp(`/work/${viewed.item.id}`);
    await title();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();

    const { item } = serve('member');
    renderApp(`/work/${item.id}`);
    await screen.findAllByRole('heading', { level: 1, name: 'Add gift cards' });
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
