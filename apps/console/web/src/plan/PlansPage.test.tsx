import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanListView } from '../../../src/shared/console-api';
import { session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const id = uuid();
const list: PlanListView = {
  drafts: [
    {
      id,
      repo: 'demo/cart',
      title: 'Ship coupons',
      status: 'draft',
      version: 2,
      createdBy: 'Ada Lovelace',
      updatedBy: 'Grace Hopper',
      createdAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      startedAt: null,
      planning: null,
    },
  ],
};

beforeEach(() => FakeEventSource.install());

describe('plans page', () => {
  it('lists the drafts, and is reached from the navigation', async () => {
    fakeFetch({ '/api/session': { body: session }, '/api/plans': { body: list } });
    renderApp('/board');
    await userEvent.click(await screen.findByRole('link', { name: 'Plans' }));
    expect(await screen.findByRole('link', { name: 'Ship coupons' })).toHaveAttribute('href', `/plans/${id}`);
    expect(screen.getByText(/demo\/cart · draft · last changed by Grace Hopper/)).toBeInTheDocument();
  });

  it('creates a plan with the CSRF token and opens it', async () => {
    const created = { ...list.drafts[0]!, id: uuid(), title: 'Gift cards', brief: 'Sell them', items: [] };
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/plans': (_url, init) =>
        init?.method === 'POST' ? { status: 201, body: created } : { body: list },
      [`/api/plans/${created.id}`]: { body: created },
      [`/api/plans/${created.id}/presence`]: { status: 204, body: null },
    });
    renderApp('/plans');
    await userEvent.type(await screen.findByLabelText('Repository (owner/name)'), 'demo/cart');
    await userEvent.type(screen.getByLabelText('Title'), 'Gift cards');
    await userEvent.type(screen.getByLabelText('Brief'), 'Sell them');
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Gift cards' })).toBeInTheDocument();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]!.body))).toEqual({
      repo: 'demo/cart',
      title: 'Gift cards',
      brief: 'Sell them',
    });
    expect((post[1]!.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-123');
  });

  it('has no serious or critical accessibility violations', async () => {
    fakeFetch({ '/api/session': { body: session }, '/api/plans': { body: list } });
    const { container } = renderApp('/plans');
    await screen.findByRole('link', { name: 'Ship coupons' });
    const result = await axe.run(container);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
