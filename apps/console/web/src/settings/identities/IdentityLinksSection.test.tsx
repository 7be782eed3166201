import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdentityList } from '../../../../src/shared/console-api';
import { emptySettings, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

beforeEach(() => FakeEventSource.install());

function serve(identities: IdentityList['identities'], more: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({ ...emptySettings, '/api/admin/identities': { body: { identities } }, ...more });
}

describe('identity links in settings', () => {
  it("lists each identity's linked accounts, with no serious axe violation", async () => {
    serve([
      {
        id: uuid(),
        displayName: 'Grace Hopper',
        links: [
          { provider: 'github', externalId: '1001', login: 'grace' },
          { provider: 'slack', externalId: 'U0GRACE', login: null },
        ],
      },
    ]);
    renderApp('/settings');
    const row = (await screen.findByRole('rowheader', { name: 'Grace Hopper' })).closest('tr')!;
    expect(row).toHaveTextContent('GitHub: grace (1001)');
    expect(row).toHaveTextContent('Slack: U0GRACE');
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('says how accounts get linked when none are', async () => {
    serve([]);
    renderApp('/settings');
    expect(await screen.findByText(/No linked accounts yet/)).toHaveTextContent('identity link');
  });

  it('unlinks an account only after confirming, then shows the list again', async () => {
    const grace = {
      id: uuid(),
      displayName: 'Grace Hopper',
      links: [
        { provider: 'github' as const, externalId: '1001', login: 'grace' },
        { provider: 'slack' as const, externalId: 'U0GRACE', login: null },
      ],
    };
    let unlinked = false;
    const fetch = serve([grace], {
      [`/api/identities/${grace.id}/unlink`]: () => {
        unlinked = true;
        return { body: { ...grace, links: grace.links.slice(1) } };
      },
      '/api/admin/identities': () => ({
        body: { identities: [unlinked ? { ...grace, links: grace.links.slice(1) } : grace] },
      }),
    });
    renderApp('/settings');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Unlink GitHub: grace from Grace Hopper' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Unlink GitHub: grace from Grace Hopper?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(unlinked).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Unlink GitHub: grace from Grace Hopper' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, unlink it' }));
    const row = () => screen.getByRole('rowheader', { name: 'Grace Hopper' }).closest('tr')!;
    await waitFor(() => expect(row()).not.toHaveTextContent('GitHub'));
    expect(row()).toHaveTextContent('Slack: U0GRACE');
    const call = fetch.mock.calls.find(([url]) => String(url).endsWith('/unlink'))!;
    expect(JSON.parse(String(call[1]!.body))).toEqual({ provider: 'github', externalId: '1001' });
  });

  it("shows the broker's reason when an unlink is refused", async () => {
    const id = uuid();
    serve([{ id, displayName: 'Linus', links: [{ provider: 'linear', externalId: 'lin-1', login: null }] }], {
      [`/api/identities/${id}/unlink`]: {
        status: 403,
        body: { statusCode: 403, message: 'ada may unlink only their own accounts; ask an admin' },
      },
    });
    renderApp('/settings');
    await userEvent.click(await screen.findByRole('button', { name: 'Unlink Linear: lin-1 from Linus' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, unlink it' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Unlinking Linear: lin-1 failed: ada may unlink only their own accounts; ask an admin',
    );
  });
});
