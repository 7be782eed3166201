import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationsView } from '../../../../src/shared/console-api';
import { session } from '../../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../../testing/network';
import { renderApp } from '../../testing/renderApp';

const at = '2026-12-04T16:00:00.000Z';
const view: IntegrationsView = {
  checks: [
    {
      integration: 'slack',
      service: 'notifier',
      configured: true,
      settings: ['SLACK_BOT_TOKEN'],
      answering: true,
      latencyMs: 42,
      detail: 'signed in as horizon in Acme',
      checkedAt: at,
    },
    {
      integration: 'linear',
      service: 'notifier',
      configured: false,
      settings: ['LINEAR_ACCESS_TOKEN'],
      answering: null,
      latencyMs: null,
      detail: 'not configured: set LINEAR_ACCESS_TOKEN for the notifier (docs/configuration.md)',
      checkedAt: at,
    },
  ],
  unreported: [
    {
      integration: 'github',
      service: 'identity-broker',
      detail: 'the identity-broker did not answer in 5 s; is it running? (npm run -s horizon -- status)',
    },
  ],
  checkedAt: at,
};

beforeEach(() => FakeEventSource.install());

function serve(integrations: Parameters<typeof fakeFetch>[0][string]) {
  return fakeFetch({
    '/api/session': { body: session },
    '/api/admin/people': { body: [] },
    '/api/admin/audit': { body: { entries: [] } },
    '/api/admin/api-tokens': { body: { tokens: [] } },
    '/api/admin/identities': { body: { identities: [] } },
    '/api/admin/auto-grants': { body: [] },
    '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
    '/api/admin/integrations': integrations,
  });
}

describe('integrations in settings', () => {
  it('shows each integration, what to set and its latency, with no serious axe violation', async () => {
    serve({ body: view });
    renderApp('/settings');
    const slack = (await screen.findByRole('rowheader', { name: 'Slack' })).closest('tr')!;
    expect(slack).toHaveTextContent('Answering');
    expect(slack).toHaveTextContent('42 ms');
    expect(slack).toHaveTextContent('SLACK_BOT_TOKEN');
    const linear = screen.getByRole('rowheader', { name: 'Linear' }).closest('tr')!;
    expect(linear).toHaveTextContent('Not configured');
    expect(linear).toHaveTextContent('set LINEAR_ACCESS_TOKEN');
    expect(screen.getByRole('rowheader', { name: 'GitHub' }).closest('tr')).toHaveTextContent('Unknown');
    const { violations } = await axe.run(document.body);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('checks again on Refresh', async () => {
    let calls = 0;
    serve(() => {
      calls += 1;
      return { body: calls === 1 ? view : { ...view, checks: [{ ...view.checks[0]!, answering: false }] } };
    });
    renderApp('/settings');
    await screen.findByRole('rowheader', { name: 'Slack' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Not answering')).toBeInTheDocument();
    expect(calls).toBe(2);
  });
});
