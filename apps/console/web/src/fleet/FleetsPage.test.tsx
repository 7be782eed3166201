import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { session } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';
import { detail, fleet } from './fleetFixtures';
import { repoList } from './NewFleetForm';

beforeEach(() => FakeEventSource.install());

describe('fleets page', () => {
  it('lists the fleets with their progress, reached from the navigation, with no serious axe violation', async () => {
    const f = fleet();
    fakeFetch({ '/api/session': { body: session }, '/api/fleets': { body: { fleets: [f] } } });
    renderApp('/board');
    await userEvent.click(await screen.findByRole('link', { name: 'Fleets' }));
    expect(await screen.findByRole('link', { name: 'Bump eslint to 9' })).toHaveAttribute(
      'href',
      `/fleets/${f.id}`,
    );
    expect(screen.getByText(/running · 3 repositories · at most 2 at once/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: '2 of 3 repositories done' })).toBeInTheDocument();
    expect(screen.getByText('2 of 3 done · 1 running now · about 60 s left')).toBeInTheDocument();
    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('creates a fleet over listed repositories with the CSRF token and opens it', async () => {
    const created = detail({ fleet: fleet({ title: 'Pin node 20' }) });
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/fleets': (_url, init) =>
        init?.method === 'POST' ? { status: 201, body: created.fleet } : { body: { fleets: [] } },
      [`/api/fleets/${created.fleet.id}`]: { body: created },
    });
    renderApp('/fleets');
    await userEvent.type(await screen.findByLabelText('Title'), 'Pin node 20');
    await userEvent.type(screen.getByLabelText('What to do in each repository'), 'Pin node to 20.');
    await userEvent.type(screen.getByLabelText('owner/name, one per line'), 'acme/a{enter}acme/b');
    await userEvent.type(
      screen.getByLabelText(
        "Verification commands instead of each repository's own (optional, one per line)",
      ),
      'npm test',
    );
    await userEvent.clear(screen.getByLabelText('At most this many at once'));
    await userEvent.type(screen.getByLabelText('At most this many at once'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Create fleet' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Pin node 20' })).toBeInTheDocument();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect((post[1]!.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-123');
    expect(JSON.parse(String(post[1]!.body))).toEqual({
      title: 'Pin node 20',
      prompt: 'Pin node to 20.',
      selector: { repos: ['acme/a', 'acme/b'] },
      cap: 3,
      verify: ['npm test'],
    });
  });

  it('shows what the backend refused, and sends a glob when one is chosen', async () => {
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/fleets': (_url, init) =>
        init?.method === 'POST'
          ? {
              status: 400,
              body: {
                statusCode: 400,
                message: 'the glob acme/x-* matches none of the 4 repositories Horizon knows',
              },
            }
          : { body: { fleets: [] } },
    });
    renderApp('/fleets');
    await userEvent.type(await screen.findByLabelText('Title'), 'All services');
    await userEvent.type(screen.getByLabelText('What to do in each repository'), 'Bump.');
    await userEvent.click(screen.getByRole('radio', { name: /A glob/ }));
    await userEvent.type(screen.getByLabelText('Glob (e.g. acme/svc-*)'), 'acme/x-*');
    await userEvent.click(screen.getByRole('button', { name: 'Create fleet' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Creating the fleet failed: the glob acme/x-* matches none of the 4 repositories Horizon knows',
    );
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]!.body)).selector).toEqual({ glob: 'acme/x-*' });
  });

  it('reads a list of repositories from lines or commas', () => {
    expect(repoList(' acme/a\n\nacme/b, acme/c ')).toEqual(['acme/a', 'acme/b', 'acme/c']);
  });
});
