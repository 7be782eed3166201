import { RouterProvider, type createBrowserRouter } from 'react-router';
import { LiveEventsProvider } from './live/LiveEvents';
import { SessionProvider } from './session/SessionProvider';

type Router = ReturnType<typeof createBrowserRouter>;

/** The session gate, then the page's one live connection, then the pages. */
export function App({ router }: { router: Router }) {
  return (
    <SessionProvider>
      <LiveEventsProvider>
        <RouterProvider router={router} />
      </LiveEventsProvider>
    </SessionProvider>
  );
}
