import { fireEvent, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UsageRow, WorkItemPage } from '../../../src/shared/console-api';
import { detail, session } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const row = (key: string | null, over: Partial<UsageRow> = {}): UsageRow => ({
  key,
  runs: 3,
  requests: 12,
  inputTokens: 40_000,
  outputTokens: 1_200,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  costUsd: 0.37,
  unpricedRequests: 0,
  harnessInputTokens: 0,
  harnessOutputTokens: 0,
  ...over,
});

beforeEach(() => FakeEventSource.install());

describe('usage', () => {
  it('lists usage by repository, then by person with their names, as the grouping is chosen', async () => {
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/usage': (url) =>
        url.searchParams.get('by') === 'person'
          ? {
              body: {
                since: '',
                rows: [row('c0ffee00-0000-4000-8000-000000000001', { name: 'Ada Lovelace' })],
              },
            }
          : { body: { since: '', rows: [row('demo/cart', { unpricedRequests: 2 })] } },
    });
    renderApp('/usage');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('rowheader', { name: 'demo/cart' })).toBeInTheDocument();
    expect(within(table).getByText('40K')).toBeInTheDocument();
    expect(within(table).getByText('$0.37 + 2 unpriced')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'By person' }));
    expect(await screen.findByRole('rowheader', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'By person' })).toHaveAttribute('aria-pressed', 'true');
    expect(fetch.mock.calls.map(([u]) => String(u))).toContain('/api/usage?by=person&days=30');
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('lists usage by fleet under each fleet’s title, and the rest as not in a fleet', async () => {
    fakeFetch({
      '/api/session': { body: session },
      '/api/usage': (url) => ({
        body: {
          since: '',
          rows:
            url.searchParams.get('by') === 'fleet'
              ? [
                  row('f1ee7000-0000-4000-8000-000000000001', { label: 'Bump eslint to 9', costUsd: 4.2 }),
                  row(null, { label: null }),
                ]
              : [],
        },
      }),
    });
    renderApp('/usage?by=fleet');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'Fleet' })).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'Bump eslint to 9' })).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'not in a fleet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'By fleet' })).toHaveAttribute('aria-pressed', 'true');
  });

  it("shows an item's usage on its page, all its runs", async () => {
    const item = detail({ title: 'Add gift cards', repo: 'demo/cart' });
    const page: WorkItemPage = { workItem: item, streamSeq: 5 };
    fakeFetch({
      '/api/session': { body: session },
      [`/api/work-items/${item.id}`]: { body: page },
      '/api/usage': (url) => ({
        body: { since: '', rows: url.searchParams.get('workItemId') === item.id ? [row(item.id)] : [] },
      }),
    });
    renderApp(`/work/${item.id}`);
    expect(await screen.findByText('3 runs, 41.2K tokens, $0.37')).toBeInTheDocument();
  });
});
