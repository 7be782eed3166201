import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { SessionView } from '../../../src/shared/console-api';
import { post } from '../api/client';
import { useResource } from '../api/useResource';
import { ErrorNotice } from '../shell/ErrorNotice';
import { SignInPage } from './SignInPage';

interface SessionContextValue {
  session: SessionView;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a <SessionProvider> above it');
  return value;
}

/** Renders its children only for a signed-in person; everyone else gets the sign-in page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const resource = useResource<SessionView>('/api/session');
  const [signedOut, setSignedOut] = useState(false);
  const session = resource.status === 'ready' ? resource.data : null;

  const signOut = useCallback(async () => {
    if (!session) return;
    await post('/auth/sign-out', session.csrfToken);
    setSignedOut(true);
  }, [session]);

  if (signedOut) return <SignInPage reason="You signed out." />;
  if (resource.status === 'loading') return <p className="page-status">Loading the console…</p>;
  if (resource.status === 'error') {
    if (resource.error.status === 401) return <SignInPage />;
    return (
      <main className="page-status">
        <ErrorNotice what="Reading your session" error={resource.error} onRetry={resource.reload} />
      </main>
    );
  }
  return (
    <SessionContext.Provider value={{ session: resource.data, signOut }}>{children}</SessionContext.Provider>
  );
}
