import type { SignInMethodOption } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';

/**
 * The page for someone not signed in: "Sign in with ..." for each provider identity-broker
 * offers (GitHub, the team's OpenID Provider), and the one-time link from the command line,
 * which is all there is on a machine with no provider configured.
 */
export function SignInPage({ reason }: { reason?: string }) {
  const methods = useResource<SignInMethodOption[]>('/api/sign-in-methods');
  const offered = methods.status === 'ready' ? methods.data : [];
  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Horizon</h1>
      {reason && <p>{reason}</p>}
      {methods.status === 'loading' && <p className="page-status">Looking for ways to sign in…</p>}
      {offered.length > 0 && (
        <ul className="sign-in-methods" aria-label="Sign-in providers">
          {offered.map((m) => (
            <li key={m.method}>
              <a className="sign-in-method" href={`/auth/sign-in/${m.method}/start`}>
                Sign in with {m.label}
              </a>
            </li>
          ))}
        </ul>
      )}
      {methods.status !== 'loading' && <OneTimeLink alternative={offered.length > 0} />}
    </main>
  );
}

function OneTimeLink({ alternative }: { alternative: boolean }) {
  return (
    <>
      <p>
        {alternative
          ? 'Where Horizon runs, you can also sign in with a one-time link: run'
          : 'The console signs you in with a one-time link from the command line. On this machine, run'}
      </p>
      <pre>
        <code>npm run -s horizon -- console link</code>
      </pre>
      <p>and open the link it prints in this browser.</p>
    </>
  );
}
