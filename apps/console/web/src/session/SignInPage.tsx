export function SignInPage({ reason }: { reason?: string }) {
  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Horizon</h1>
      {reason && <p>{reason}</p>}
      <p>The console signs you in with a one-time link from the command line. On this machine, run</p>
      <pre>
        <code>npm run -s horizon -- console link</code>
      </pre>
      <p>and open the link it prints in this browser.</p>
    </main>
  );
}
