import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { session } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

const emptyBoard = { body: { items: [], streamSeq: 0, truncated: false } };

beforeEach(() => FakeEventSource.install());

describe('session', () => {
  it('shows the sign-in page, with the command to run, when not signed in', async () => {
    fakeFetch({
      '/api/session': {
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: 'not signed in' },
      },
    });
    renderApp('/board');
    expect(await screen.findByRole('heading', { name: 'Sign in to Horizon' })).toBeInTheDocument();
    expect(await screen.findByText('npm run -s horizon -- console link')).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  it('names the failure when the session cannot be read', async () => {
    fakeFetch({
      '/api/session': {
        status: 500,
        body: { statusCode: 500, error: 'Internal', message: 'database is down' },
      },
    });
    renderApp('/board');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Reading your session failed: database is down',
    );
  });

  it('signs out with the CSRF token and then shows the sign-in page', async () => {
    const fetch = fakeFetch({
      '/api/session': { body: session },
      '/api/work-items': emptyBoard,
      '/auth/sign-out': { status: 204, body: null },
    });
    renderApp('/board');
    await screen.findByText('Ada Lovelace');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You signed out.')).toBeInTheDocument();
    const [, init] = fetch.mock.calls.find(([url]) => url === '/auth/sign-out')!;
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': 'csrf-123' },
    });
  });
});
