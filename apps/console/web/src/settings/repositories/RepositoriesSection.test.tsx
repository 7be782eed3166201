import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RepositoriesView } from '../../../../src/shared/console-api';
import { session, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

beforeEach(() => FakeEventSource.install());

function serve(view: RepositoriesView) {
  fakeFetch({
    '/api/session': { body: session },
    '/api/admin/people': { body: [] },
    '/api/admin/audit': { body: { entries: [] } },
    '/api/admin/api-tokens': { body: { tokens: [] } },
    '/api/admin/identities': { body: { identities: [] } },
    '/api/admin/auto-grants': { body: [] },
    '/api/admin/integrations': {
      body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' },
    },
    '/api/admin/repositories': { body: view },
  });
}

describe('repositories in settings', () => {
  it('shows each repository with its work and roles, with no serious axe violation', async () => {
    serve({
      repositories: [
        {
          repo: 'acme/web',
          workItems: 3,
          latestAt: '2026-12-01T09:00:00.000Z',
          grants: [{ personId: uuid(), name: 'Grace', role: 'member' }],
        },
        { repo: 'acme/api', workItems: 0, latestAt: null, grants: [] },
      ],
      everywhere: [{ personId: uuid(), name: 'Ada Lovelace', role: 'admin' }],
    });
    renderApp('/settings');
    const web = (await screen.findByRole('rowheader', { name: 'acme/web' })).closest('tr')!;
    expect(web).toHaveTextContent('Grace (member)');
    expect(web).toHaveTextContent('3');
    expect(screen.getByRole('rowheader', { name: 'acme/api' }).closest('tr')).toHaveTextContent(
      'only the roles for every repository',
    );
    expect(screen.getByText('In every repository: Ada Lovelace (admin).')).toBeInTheDocument();
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('says how a repository appears when there is none', async () => {
    serve({ repositories: [], everywhere: [] });
    renderApp('/settings');
    expect(await screen.findByText(/No repositories yet/)).toBeInTheDocument();
  });
});
