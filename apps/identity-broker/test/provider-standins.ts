import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * Tiny Linear and Slack authorization servers on 127.0.0.1, answering in the providers'
 * documented formats: an authorize page that redirects back with a code for a fixed user,
 * Linear's `POST /oauth/token` and GraphQL `viewer`, Slack's `openid.connect.token` with
 * an id_token. They refuse wrong client credentials and reused codes, as the real ones do.
 */
export interface ProviderStandIn {
  url: string;
  clientId: string;
  clientSecret: string;
  tokenRequests: Record<string, string>[];
  close(): Promise<void>;
}

async function listen(
  handler: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; headers?: Record<string, string>; json?: unknown },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function redirectWithCode(
  url: URL,
  codes: Map<string, string>,
): { status: number; headers: Record<string, string> } {
  const code = randomBytes(8).toString('hex');
  codes.set(code, url.searchParams.get('nonce') ?? '');
  const back = new URL(url.searchParams.get('redirect_uri')!);
  back.searchParams.set('code', code);
  back.searchParams.set('state', url.searchParams.get('state')!);
  return { status: 302, headers: { location: back.toString() } };
}

export async function startLinearStandIn(user: {
  id: string;
  name: string;
  email: string;
}): Promise<ProviderStandIn> {
  const clientId = 'lin-client';
  const clientSecret = 'lin-secret';
  const codes = new Map<string, string>();
  const tokens = new Set<string>();
  const tokenRequests: Record<string, string>[] = [];
  const { server, url } = await listen((req, body) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/oauth/authorize') return redirectWithCode(u, codes);
    if (u.pathname === '/oauth/token') {
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenRequests.push(form);
      if (form.client_id !== clientId || form.client_secret !== clientSecret)
        return { status: 400, json: { error: 'invalid_client' } };
      if (form.grant_type !== 'authorization_code' || !codes.delete(form.code!))
        return { status: 400, json: { error: 'invalid_grant' } };
      const token = `lin_oauth_${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      return {
        status: 200,
        json: {
          access_token: token,
          token_type: 'Bearer',
          expires_in: 86399,
          scope: 'read',
          refresh_token: `lin_rt_${randomBytes(8).toString('hex')}`,
        },
      };
    }
    if (u.pathname === '/graphql') {
      if (!tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, '')))
        return { status: 401, json: { errors: [{ message: 'Authentication required' }] } };
      return {
        status: 200,
        json: {
          data: {
            viewer: {
              __typename: 'User',
              ...user,
              displayName: user.name,
              active: true,
              admin: false,
              createdAt: new Date().toISOString(),
              updatedAt: new Date().toISOString(),
            },
          },
        },
      };
    }
    return { status: 404, json: {} };
  });
  return {
    url,
    clientId,
    clientSecret,
    tokenRequests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function startSlackStandIn(user: {
  id: string;
  teamId: string;
  name: string;
  email: string;
}): Promise<ProviderStandIn> {
  const clientId = '1234.5678';
  const clientSecret = 'slack-secret';
  const codes = new Map<string, string>();
  const tokenRequests: Record<string, string>[] = [];
  const { server, url } = await listen((req, body) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/openid/connect/authorize') return redirectWithCode(u, codes);
    if (u.pathname === '/api/openid.connect.token') {
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenRequests.push(form);
      if (form.client_id !== clientId || form.client_secret !== clientSecret)
        return { status: 200, json: { ok: false, error: 'invalid_client_id' } };
      const nonce = codes.get(form.code!);
      if (nonce === undefined) return { status: 200, json: { ok: false, error: 'invalid_code' } };
      codes.delete(form.code!);
      const now = Math.floor(Date.now() / 1000);
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const idToken = `${part({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${part({
        iss: 'https://slack.com',
        sub: user.id,
        aud: clientId,
        exp: now + 3600,
        iat: now,
        nonce,
        'https://slack.com/user_id': user.id,
        'https://slack.com/team_id': user.teamId,
        email: user.email,
        name: user.name,
      })}.c2ln`;
      return {
        status: 200,
        json: {
          ok: true,
          access_token: `xoxp-${randomBytes(8).toString('hex')}`,
          token_type: 'Bearer',
          id_token: idToken,
        },
      };
    }
    return { status: 404, json: {} };
  });
  return {
    url,
    clientId,
    clientSecret,
    tokenRequests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
