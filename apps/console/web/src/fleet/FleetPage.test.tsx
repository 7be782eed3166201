import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';
import { detail, fleet } from './fleetFixtures';

beforeEach(() => FakeEventSource.install());

describe('fleet page', () => {
  it('shows the results table with links to each item and PR, and the export link', async () => {
    const view = detail();
    fakeFetch({ '/api/session': { body: session }, [`/api/fleets/${view.fleet.id}`]: { body: view } });
    renderApp(`/fleets/${view.fleet.id}`);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'acme/a',
      'acme/b',
      'acme/c',
    ]);
    expect(within(rows[0]!).getByRole('link', { name: 'acme/a' })).toHaveAttribute(
      'href',
      `/work/${view.children[0]!.workItemId}`,
    );
    expect(within(rows[0]!).getByRole('link', { name: '#4' })).toHaveAttribute('href', '/pulls/acme/a/4');
    expect(within(rows[0]!).getByText('41.2K')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('npm test failed')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
      'href',
      `/api/fleets/${view.fleet.id}/results.csv`,
    );
  });

  it('retries the failed after confirmation, with the CSRF token, and shows the fleet again', async () => {
    const view = detail();
    const fetch = fakeFetch({
      '/api/session': { body: session },
      [`/api/fleets/${view.fleet.id}`]: { body: view },
      [`/api/fleets/${view.fleet.id}/retry`]: { body: { fleet: view.fleet, retried: ['x'] } },
    });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderApp(`/fleets/${view.fleet.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Retry failed (1)' }));
    expect(confirm).toHaveBeenCalledWith('Retry the failed or cancelled runs in 1 repository?');
    const post = await vi.waitFor(() => {
      const call = fetch.mock.calls.find(
        ([u, init]) => String(u).endsWith('/retry') && init?.method === 'POST',
      );
      if (!call) throw new Error('no retry yet');
      return call;
    });
    expect((post[1]!.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-123');
    confirm.mockRestore();
  });

  it('disables the changes for someone who is not a member of every repository, and says what is hidden', async () => {
    const view = detail({ mayChange: false, hidden: 2 });
    fakeFetch({ '/api/session': { body: session }, [`/api/fleets/${view.fleet.id}`]: { body: view } });
    renderApp(`/fleets/${view.fleet.id}`);
    expect(await screen.findByRole('button', { name: 'Cancel fleet' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Retry failed (1)' })).toBeDisabled();
    expect(screen.getByText('3 repositories (2 more in repositories you may not see)')).toBeInTheDocument();
  });

  it('names what failed when the cancel is refused', async () => {
    const view = detail({ fleet: fleet() });
    fakeFetch({
      '/api/session': { body: session },
      [`/api/fleets/${view.fleet.id}`]: { body: view },
      [`/api/fleets/${view.fleet.id}/cancel`]: {
        status: 403,
        body: { statusCode: 403, message: 'cancelling the fleet needs the member role in acme/c' },
      },
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderApp(`/fleets/${view.fleet.id}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel fleet' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cancelling the fleet failed: cancelling the fleet needs the member role in acme/c',
    );
  });
});
