import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { LiveIndicator } from './LiveIndicator';
import { useTheme } from './useTheme';

export function AppShell() {
  const { session, signOut } = useSession();
  const { theme, toggle } = useTheme();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const next = theme === 'dark' ? 'light' : 'dark';

  const onSignOut = () => {
    setSignOutError(null);
    signOut().catch((err: Error) => setSignOutError(`Sign-out failed: ${err.message}`));
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <span className="product">Horizon</span>
        <nav aria-label="Main">
          <NavLink to="/board">Board</NavLink>
          <NavLink to="/graph">Graph</NavLink>
          <NavLink to="/plans">Plans</NavLink>
          <NavLink to="/fleets">Fleets</NavLink>
          <NavLink to="/usage">Usage</NavLink>
          <NavLink to="/friction">Friction</NavLink>
          {session.grants.some((g) => g.role === 'admin') && <NavLink to="/settings">Settings</NavLink>}
        </nav>
        <div className="shell-tools">
          <LiveIndicator />
          <button type="button" onClick={toggle} aria-label={`Switch to ${next} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <span className="person" title={session.person.id}>
            {session.person.name}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError && (
        <p role="alert" className="error-notice">
          {signOutError}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
