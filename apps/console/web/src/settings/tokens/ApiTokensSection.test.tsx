import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiTokenSummary } from '../../../../src/shared/console-api';
import { session, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

const ci: ApiTokenSummary = {
  id: uuid(),
  name: 'ci',
  scopes: ['work:read', 'work:write'],
  createdAt: '2026-12-01T09:00:00.000Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
};

function serve(tokens: ApiTokenSummary[], extra: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    '/api/session': { body: session },
    '/api/admin/people': { body: [] },
    '/api/admin/audit': { body: { entries: [] } },
    '/api/admin/identities': { body: { identities: [] } },
    '/api/admin/auto-grants': { body: [] },
    '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
    '/api/admin/integrations': {
      body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' },
    },
    '/api/admin/api-tokens': (_url, init) =>
      init?.method === 'POST'
        ? {
            status: 201,
            body: { id: uuid(), name: 'laptop', scopes: ['work:read'], expiresAt: null, token: 'hzn_secret' },
          }
        : { body: { tokens } },
    ...extra,
  });
}

beforeEach(() => FakeEventSource.install());

describe('API tokens in settings', () => {
  it('lists tokens with their scopes and status, with no serious axe violation', async () => {
    serve([ci, { ...ci, id: uuid(), name: 'old', revokedAt: '2026-12-02T09:00:00.000Z' }]);
    renderApp('/settings');
    const row = (await screen.findByRole('rowheader', { name: 'ci' })).closest('tr')!;
    expect(row).toHaveTextContent('work:read, work:write');
    expect(row).toHaveTextContent('never');
    expect(within(row).getByRole('button', { name: 'Revoke ci' })).toBeEnabled();
    const revoked = screen.getByRole('rowheader', { name: 'old' }).closest('tr')!;
    expect(revoked).toHaveTextContent(/revoked/);
    expect(within(revoked).queryByRole('button')).toBeNull();
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('creates a token with the chosen scopes and shows it once, with a copy button', async () => {
    const fetch = serve([]);
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderApp('/settings');
    expect(await screen.findByText(/No tokens yet/)).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: 'Token name' }), 'laptop');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    const create = fetch.mock.calls.find(
      ([url, init]) => String(url).endsWith('/api-tokens') && init?.method,
    )!;
    expect(create[1]).toMatchObject({ headers: expect.objectContaining({ 'x-csrf-token': 'csrf-123' }) });
    expect(JSON.parse(String(create[1]!.body))).toEqual({
      name: 'laptop',
      scopes: ['work:read'],
      expiresAt: null,
    });
    expect(await screen.findByLabelText('The new token')).toHaveTextContent('hzn_secret');
    await userEvent.click(screen.getByRole('button', { name: 'Copy token' }));
    expect(writeText).toHaveBeenCalledWith('hzn_secret');
    expect(screen.getByText('Copied.')).toBeInTheDocument();
  });

  it('refuses to ask for a token without a scope, and says why a revocation failed', async () => {
    serve([ci], {
      [`/api/admin/api-tokens/${ci.id}/revoke`]: {
        status: 503,
        body: { statusCode: 503, message: 'hzn.rpc.ingress.revoke_api_token did not answer; is it running?' },
      },
    });
    renderApp('/settings');
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Read work items (work:read)' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Token name' }), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose at least one scope');
    await userEvent.click(screen.getByRole('button', { name: 'Revoke ci' }));
    expect(await screen.findByText(/Revoking ci failed: .*ingress.*did not answer/)).toBeInTheDocument();
  });

  it('tells an admin of one repository that tokens are for admins of every repository', async () => {
    fakeFetch({
      '/api/session': { body: { ...session, grants: [{ repo: 'acme/web', role: 'admin' }] } },
      '/api/admin/people': { body: [] },
      '/api/admin/audit': { body: { entries: [] } },
      '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
      '/api/admin/integrations': {
        body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' },
      },
    });
    renderApp('/settings');
    expect(await screen.findByText(/an admin of every repository \(\*\) manages\s+them/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'API tokens' })).toBeNull();
  });
});
