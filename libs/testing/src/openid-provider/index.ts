import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The claims of whoever is signed in at the provider; `null`: they decline. */
export interface OpenIdPerson {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
}

/** A certified OpenID Provider (`oidc-provider`) in its own process, with one registered client. */
export interface OpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInAs(person: OpenIdPerson | null): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export async function startOpenIdProvider(redirectUris: string[]): Promise<OpenIdProvider> {
  const client = {
    client_id: 'horizon-console',
    client_secret: 'a-secret-only-this-test-knows',
    redirect_uris: redirectUris,
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'idp.mjs')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OIDC_TEST_CLIENT: JSON.stringify(client) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let line = '';
    child.stdout!.on('data', (c: Buffer) => {
      line += c.toString();
      const end = line.indexOf('\n');
      if (end >= 0) resolve((JSON.parse(line.slice(0, end)) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the OpenID Provider exited (${code}):\n${output}`)));
  });
  return {
    issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret,
    async signInAs(person) {
      const res = await fetch(`${issuer}/__test/person`, { method: 'PUT', body: JSON.stringify(person) });
      if (res.status !== 204) throw new Error(`the OpenID Provider answered ${res.status}`);
    },
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
