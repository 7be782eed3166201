import { render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../testing/network';
import { SignInPage } from './SignInPage';

describe('SignInPage', () => {
  it('offers a "Sign in with ..." link for each provider identity-broker is configured for', async () => {
    fakeFetch({
      '/api/sign-in-methods': {
        body: [
          { method: 'github', label: 'GitHub' },
          { method: 'oidc', label: 'Acme SSO' },
        ],
      },
    });
    const { container } = render(<SignInPage />);
    const github = await screen.findByRole('link', { name: 'Sign in with GitHub' });
    expect(github).toHaveAttribute('href', '/auth/sign-in/github/start');
    expect(screen.getByRole('link', { name: 'Sign in with Acme SSO' })).toHaveAttribute(
      'href',
      '/auth/sign-in/oidc/start',
    );
    expect(screen.getByRole('list', { name: 'Sign-in providers' })).toBeInTheDocument();
    expect(screen.getByText(/you can also sign in with a one-time link/)).toBeInTheDocument();
    expect((await axe.run(container)).violations).toEqual([]);
  });

  it('explains the one-time link when no provider is configured', async () => {
    fakeFetch({ '/api/sign-in-methods': { body: [] } });
    render(<SignInPage reason="You signed out." />);
    expect(
      await screen.findByText(/The console signs you in with a one-time link from the command line/),
    ).toBeInTheDocument();
    expect(screen.getByText('npm run -s horizon -- console link')).toBeInTheDocument();
    expect(screen.getByText('You signed out.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Sign in with/ })).not.toBeInTheDocument();
  });

  it('still explains the one-time link when the providers cannot be read', async () => {
    fakeFetch({ '/api/sign-in-methods': { status: 500, body: { message: 'boom' } } });
    render(<SignInPage />);
    expect(await screen.findByText('npm run -s horizon -- console link')).toBeInTheDocument();
  });
});
