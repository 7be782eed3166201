import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutoGrantView } from '../../../../src/shared/console-api';
import { emptySettings, uuid } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

beforeEach(() => FakeEventSource.install());

function serve(rules: () => AutoGrantView[], more: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({ ...emptySettings, '/api/admin/auto-grants': () => ({ body: rules() }), ...more });
}

const rule = (domain: string): AutoGrantView => ({
  id: uuid(),
  domain,
  role: 'viewer',
  repo: '*',
  createdBy: 'ada',
  createdAt: '2026-12-01T09:00:00.000Z',
});

describe('automatic roles in settings', () => {
  it('says newcomers get no role without a rule, and adds one (viewer in every repository by default)', async () => {
    let rules: AutoGrantView[] = [];
    const fetch = serve(() => rules, {
      '/api/admin/auto-grants': (_url, init) => {
        if (init?.method === 'POST') {
          rules = [rule('acme.com')];
          return { status: 201, body: rules[0] };
        }
        return { body: rules };
      },
    });
    renderApp('/settings');
    expect(await screen.findByText('No rules: newcomers get no role.')).toBeInTheDocument();
    const auditReads = () =>
      fetch.mock.calls.filter(([url]) => String(url).endsWith('/api/admin/audit')).length;
    const before = auditReads();
    await userEvent.type(screen.getByRole('textbox', { name: 'Email domain' }), 'acme.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    const row = (await screen.findByRole('rowheader', { name: 'acme.com' })).closest('tr')!;
    // The audit trail below reads its new entry.
    await waitFor(() => expect(auditReads()).toBeGreaterThan(before));
    expect(row).toHaveTextContent('viewer');
    const posted = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(posted[1]!.body))).toEqual({ domain: 'acme.com', role: 'viewer', repo: '*' });
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('removes a rule, and says why when the console refuses one', async () => {
    let rules = [rule('acme.com')];
    serve(() => rules, {
      [`/api/admin/auto-grants/${rules[0]!.id}/delete`]: () => {
        rules = [];
        return { status: 204, body: null };
      },
    });
    renderApp('/settings');
    const section = (await screen.findByRole('heading', { name: 'Automatic roles' })).closest('section')!;
    await userEvent.click(
      await within(section).findByRole('button', { name: 'Remove the rule for acme.com in *' }),
    );
    await waitFor(() => expect(within(section).queryByRole('rowheader', { name: 'acme.com' })).toBeNull());
  });

  it('shows the reason a rule was refused', async () => {
    serve(() => [], {
      '/api/admin/auto-grants': (_url, init) =>
        init?.method === 'POST'
          ? { status: 400, body: { statusCode: 400, message: 'domain: a domain such as acme.com' } }
          : { body: [] },
    });
    renderApp('/settings');
    await userEvent.type(await screen.findByRole('textbox', { name: 'Email domain' }), '*.acme.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Adding *.acme.com failed: domain: a domain such as acme.com',
    );
  });
});
