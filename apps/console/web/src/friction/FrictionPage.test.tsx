import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FrictionGroup } from '@horizon/contracts';
import type { FrictionView, WorkItemPage } from '../../../src/shared/console-api';
import { detail, session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const runId = uuid();
const group = (over: Partial<FrictionGroup>): FrictionGroup => ({
  kind: 'missing_script',
  signature: 'missing_script:lint',
  summary: '`npm run lint`: the script "lint" is not declared',
  repo: 'demo/cart',
  runs: 2,
  occurrences: 3,
  firstSeenAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-02T10:00:00.000Z',
  examples: [
    { runId, workItemId: uuid(), title: 'Add discounts', evidence: [4, 9], at: '2026-12-02T10:00:00.000Z' },
  ],
  ...over,
});

const view: FrictionView = {
  since: '2026-11-04T00:00:00.000Z',
  groups: [
    group({}),
    group({
      repo: 'demo/ledger',
      kind: 'missing_tool',
      signature: 'missing_tool:jq',
      summary: 'jq is missing',
      runs: 1,
    }),
  ],
  retroRepos: ['demo/cart'],
};

beforeEach(() => FakeEventSource.install());

describe('friction', () => {
  it('shows each repository’s papercuts with their runs, links to the lines, and a retro only where the person may start one', async () => {
    const week = (period: string, toolCallsPerRun: number, medianMinutesToMerge: number | null) => ({
      repo: 'demo/cart',
      period,
      runs: 4,
      items: 2,
      runsPerItem: 2,
      toolCallsPerRun,
      tokensPerRun: 5000,
      frictionPerRun: 1.25,
      fixRoundsPerRun: 0.5,
      merged: 1,
      medianMinutesToMerge,
    });
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/friction': { body: view },
      '/api/trends': {
        body: { since: '', rows: [week('2026-11-23', 30, 90), week('2026-11-30', 18, null)] },
      },
    });
    renderApp('/friction');
    const cart = await screen.findByRole('region', { name: 'demo/cart' });
    const row = within(cart).getByRole('row', { name: /not declared/ });
    expect(row).toHaveTextContent('missing script `npm run lint`: the script "lint" is not declared');
    expect(row).toHaveTextContent('missing_script:lint');
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['2', '3', expect.any(String), 'Add discounts line 5, 10']);
    expect(within(row).getByRole('link', { name: 'Add discounts' })).toHaveAttribute(
      'href',
      `/runs/${runId}#line-5`,
    );
    expect(within(cart).getByRole('button', { name: 'Start a retro on demo/cart' })).toBeEnabled();
    const ledger = screen.getByRole('region', { name: 'demo/ledger' });
    expect(within(ledger).queryByRole('button')).toBeNull();
    // The repository's weeks as a chart per measure, then each compared with the one before.
    expect(
      await within(cart).findByRole('img', {
        name: 'Tool calls per run, weeks of 2026-11-23 to 2026-11-30: latest 18, down from 30; lowest 18, highest 30',
      }),
    ).toBeInTheDocument();
    fireEvent.click(within(cart).getByText('The weeks as a table'));
    const weeks = within(cart).getAllByRole('row', { name: /^2026-11-/ });
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(weeks).toHaveLength(2);
    expect(cells(weeks[0]!)).toEqual(['4', '2', '30', '5000', '1.3', '0.5', '1', '90']);
    expect(cells(weeks[1]!)).toEqual(['4', '2', '18 ↓', '5000', '1.3', '0.5', '1', '—']);
    expect(within(ledger).queryByText(/week by week/)).toBeNull();
    expect(fetch.mock.calls.map(([u]) => String(u))).toContain('/api/friction?days=30&minRuns=1');

    fireEvent.click(screen.getByRole('button', { name: '7 days' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /more than one run/ }));
    await screen.findByRole('region', { name: 'demo/cart' });
    expect(fetch.mock.calls.map(([u]) => String(u))).toContain('/api/friction?days=7&minRuns=2');
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');

    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('starts a retro with the CSRF token and opens its work item', async () => {
    const retro: WorkItemPage = {
      workItem: detail({ kind: 'retro', title: 'Retro: demo/cart since 2026-11-28' }),
      streamSeq: 1,
    };
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/friction': { body: view },
      '/api/retros': { status: 201, body: { workItemId: retro.workItem.id, papercuts: 1, rejected: [] } },
      [`/api/work-items/${retro.workItem.id}`]: { body: retro },
    });
    renderApp('/friction?days=7');
    await userEvent.click(await screen.findByRole('button', { name: 'Start a retro on demo/cart' }));
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Retro: demo/cart since 2026-11-28' }),
    ).toBeInTheDocument();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(String(post[0])).toBe('/api/retros');
    expect((post[1]!.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-123');
    expect(JSON.parse(String(post[1]!.body))).toEqual({ repo: 'demo/cart', days: 7 });
  });

  it('says what the backend refused, and that nothing got in the way when nothing did', async () => {
    fakeFetch({
      '/api/session': { body: session },
      '/api/friction': (url) =>
        url.searchParams.get('days') === '90'
          ? { body: { since: '', groups: [], retroRepos: [] } }
          : { body: view },
      '/api/retros': {
        status: 409,
        body: {
          statusCode: 409,
          error: 'Conflict',
          message: 'no run on demo/cart met a papercut other than those whose fixes were rejected before',
        },
      },
    });
    renderApp('/friction');
    await userEvent.click(await screen.findByRole('button', { name: 'Start a retro on demo/cart' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Starting a retro on demo/cart failed');
    expect(alert).toHaveTextContent('other than those whose fixes were rejected before');
    fireEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(await screen.findByText('Nothing got in the runs’ way in the last 90 days.')).toBeInTheDocument();
  });
});
