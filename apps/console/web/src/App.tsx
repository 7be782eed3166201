import { RouterProvider, type createBrowserRouter } from 'react-router';
import { LiveEventsProvider, type LiveHub } from './live/LiveEvents';
import { SessionProvider } from './session/SessionProvider';

type Router = ReturnType<typeof createBrowserRouter>;

/** The session gate, then the page's one live connection, then the pages. */
export function App({ router, hub }: { router: Router; hub?: LiveHub }) {
  return (
    <SessionProvider>
      <LiveEventsProvider hub={hub}>
        <RouterProvider router={router} />
      </LiveEventsProvider>
    </SessionProvider>
  );
}
