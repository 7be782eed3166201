import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntryView, PersonView } from '../../../src/shared/console-api';
import { session, uuid } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const grace: PersonView = {
  id: uuid(),
  name: 'Grace',
  grants: [{ repo: 'acme/web', role: 'member' }],
  lastSignInAt: '2026-12-01T10:00:00.000Z',
  activeSessions: 2,
};
const audit: AuditEntryView[] = [
  {
    id: uuid(),
    actor: 'Ada Lovelace',
    action: 'person.invited',
    target: 'Grace',
    detail: {},
    at: '2026-12-01T09:00:00.000Z',
  },
];

function serve(extra: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    '/api/session': { body: session },
    '/api/admin/people': { body: [grace] },
    '/api/admin/audit': { body: { entries: audit } },
    '/api/admin/api-tokens': { body: { tokens: [] } },
    '/api/admin/identities': { body: { identities: [] } },
    '/api/admin/auto-grants': { body: [] },
    '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
    '/api/admin/integrations': {
      body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' },
    },
    ...extra,
  });
}

beforeEach(() => FakeEventSource.install());

describe('settings page', () => {
  it('lists people with their roles per repository and the audit trail, with no serious axe violation', async () => {
    serve();
    renderApp('/settings');
    const row = (await screen.findByRole('rowheader', { name: 'Grace' })).closest('tr')!;
    expect(within(row).getByRole('combobox', { name: "Grace's role in acme/web" })).toHaveValue('member');
    expect(within(row).getByRole('button', { name: 'Sign out (2)' })).toBeEnabled();
    expect(screen.getByRole('region', { name: 'Audit trail' })).toHaveTextContent(
      'Ada Lovelace person.invited Grace',
    );
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('changes a role with the CSRF token, and says why when the backend refuses', async () => {
    const fetch = serve({
      [`/api/admin/people/${grace.id}/grants`]: (_url, init) =>
        JSON.parse(String(init?.body)).role === 'admin'
          ? {
              status: 403,
              body: {
                statusCode: 403,
                error: 'Forbidden',
                message: 'you are not an admin of acme/web; ask one of its admins',
              },
            }
          : { status: 204, body: null },
    });
    renderApp('/settings');
    const select = await screen.findByRole('combobox', { name: "Grace's role in acme/web" });
    await userEvent.selectOptions(select, 'viewer');
    const call = fetch.mock.calls.find(([url]) => String(url).endsWith('/grants'))!;
    expect(call[1]).toMatchObject({
      method: 'POST',
      headers: expect.objectContaining({ 'x-csrf-token': 'csrf-123' }),
    });
    expect(JSON.parse(String(call[1]!.body))).toEqual({ repo: 'acme/web', role: 'viewer' });

    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: "Grace's role in acme/web" }),
      'admin',
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Changing the role failed: you are not an admin of acme/web',
    );
  });

  it('invites someone and shows the one-time link to send', async () => {
    serve({
      '/api/admin/sign-in-links': (_url, init) => ({
        body: {
          url: `http://console.test/auth/sign-in?token=abc&for=${JSON.parse(String(init?.body)).person}`,
          expiresAt: '2026-12-01T10:15:00.000Z',
        },
      }),
    });
    renderApp('/settings');
    await userEvent.type(await screen.findByRole('textbox', { name: 'Name' }), 'Linus');
    await userEvent.click(screen.getByRole('button', { name: 'Make a sign-in link' }));
    expect(await screen.findByText(/auth\/sign-in\?token=abc&for=Linus/)).toBeInTheDocument();
  });

  it('tells a non-admin that admins manage people, and hides the navigation entry', async () => {
    fakeFetch({ '/api/session': { body: { ...session, grants: [{ repo: 'acme/web', role: 'member' }] } } });
    renderApp('/settings');
    expect(await screen.findByText(/Only admins manage people and roles/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
  });
});
