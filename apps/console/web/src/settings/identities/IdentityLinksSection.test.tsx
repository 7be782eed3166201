import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdentityList } from '../../../../src/shared/console-api';
import { session, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

beforeEach(() => FakeEventSource.install());

function serve(identities: IdentityList['identities']) {
  fakeFetch({
    '/api/session': { body: session },
    '/api/admin/people': { body: [] },
    '/api/admin/audit': { body: { entries: [] } },
    '/api/admin/api-tokens': { body: { tokens: [] } },
    '/api/admin/integrations': {
      body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' },
    },
    '/api/admin/identities': { body: { identities } },
    '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
  });
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
});
