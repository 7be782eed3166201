import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../testing/fixtures';
import { FakeEventSource, fakeFetch } from '../testing/network';
import { renderApp } from '../testing/renderApp';

function prefersDark(dark: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn(() => ({ matches: dark, addEventListener: vi.fn(), removeEventListener: vi.fn() })),
  );
}

beforeEach(() => {
  FakeEventSource.install();
  fakeFetch({
    '/api/session': { body: session },
    '/api/work-items': { body: { items: [], streamSeq: 0, truncated: false } },
  });
});

describe('app shell', () => {
  it('has the landmarks, navigation and the signed-in person', async () => {
    renderApp('/board');
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Horizon');
    expect(screen.getByRole('main')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toContainElement(screen.getByRole('link', { name: 'Board' }));
    expect(screen.getByRole('link', { name: 'Board' })).toHaveAttribute('aria-current', 'page');
  });

  it('follows the system theme until the person picks one, then remembers it', async () => {
    prefersDark(true);
    renderApp('/board');
    const toggle = await screen.findByRole('button', { name: 'Switch to light theme' });
    expect(document.documentElement.dataset.theme).toBe('dark');

    await userEvent.setup().click(toggle);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem('horizon.theme')).toBe('light');
    expect(screen.getByRole('button', { name: 'Switch to dark theme' })).toBeInTheDocument();
  });

  it('starts from the remembered theme over the system one', async () => {
    prefersDark(true);
    localStorage.setItem('horizon.theme', 'light');
    renderApp('/board');
    await screen.findByRole('button', { name: 'Switch to dark theme' });
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('answers an unknown address with a way back', async () => {
    renderApp('/nowhere');
    expect(await screen.findByRole('heading', { name: 'Nothing here' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'board' })).toHaveAttribute('href', '/board');
  });
});
