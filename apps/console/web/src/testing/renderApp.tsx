import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { App } from '../App';
import { routes } from '../routes';

/** The whole app at `path`, as a signed-in browser would load it, on the faked network. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return { router, ...render(<App router={router} />) };
}
