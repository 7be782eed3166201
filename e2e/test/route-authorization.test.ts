import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_SCHEMAS, type ServiceWithSchema } from '@horizon/db';
import {
  createTestDatabase,
  createTestMessaging,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  TestMessaging,
} from '@horizon/testing';

// Every service with an HTTP surface: each owns a schema, so the schema map names them all.
const SERVICES = Object.keys(SERVICE_SCHEMAS) as ServiceWithSchema[];

/**
 * Routes anyone may call, each with why. Every other route a service registers must refuse a
 * caller without credentials, or with forged ones, with 401 or 403 — before it looks at what was
 * asked (no 404 that tells what exists, no 400 about the body, never a 5xx). A public route must
 * still never answer 5xx, and `refuses` ones must not succeed without a secret.
 */
const PUBLIC: Record<string, { why: string; refuses?: boolean }> = {
  'GET /healthz': { why: 'liveness, for the orchestrator of containers' },
  'GET /readyz': { why: 'readiness: names failing dependencies, never a secret' },
  'GET /metrics': { why: 'Prometheus scrape: counters and latencies, no payloads' },
  'ingress GET /api/v1/openapi.json': { why: 'the work API described, for clients' },
  'ingress POST /webhooks/github': { why: 'verified by its signature', refuses: true },
  'ingress POST /webhooks/linear': { why: 'verified by its signature', refuses: true },
  'ingress POST /webhooks/slack/events': { why: 'verified by its signature', refuses: true },
  'ingress POST /webhooks/slack/interactions': { why: 'verified by its signature', refuses: true },
  'ingress POST /webhooks/generic/:name': { why: "verified by the trigger's signature", refuses: true },
  'mcp-context GET /mcp': {
    why: 'stateless MCP: 405 (POST only), as the transport spec asks; serves nothing',
    refuses: true,
  },
  'mcp-context DELETE /mcp': { why: 'stateless MCP: 405, no session to end; serves nothing', refuses: true },
  'mcp-context GET /.well-known/oauth-protected-resource': { why: 'RFC 9728 metadata for MCP clients' },
  'mcp-context GET /.well-known/oauth-protected-resource/mcp': { why: 'RFC 9728 metadata for MCP clients' },
  'console GET /*': { why: "the single-page app's shell; its data needs a session" },
  'console GET /assets/*': { why: "the app's scripts and styles" },
  'console GET /api/session': { why: 'says whether the browser is signed in (and as whom)' },
  'console GET /api/sign-in-methods': { why: 'the sign-in page lists the methods configured' },
  'console GET /auth/sign-in': { why: 'spends a one-time sign-in link', refuses: true },
  'console GET /auth/sign-in/:method/start': { why: "starts a provider's sign-in" },
  'console GET /auth/sign-in/:method/callback': {
    why: "a provider's answer, checked against its state",
    refuses: true,
  },
  'console POST /auth/sign-out': { why: "ends the caller's own session, if any" },
};

const FORGED = {
  authorization: 'Bearer hzn_0123456789abcdefforgedforgedforged',
  cookie: 'hzn_session=forged-session-token',
  'x-horizon-run': '00000000-0000-4000-8000-000000000000',
  'x-forge-user': 'admin',
};

interface Route {
  service: ServiceWithSchema;
  method: string;
  url: string;
}

/** A concrete path for a route pattern: every parameter and wildcard a plausible value. */
function concrete(url: string): string {
  return url
    .replace(/:(id|deliveryId)\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:number\b/g, '1')
    .replace(/:sha\b/g, 'a'.repeat(40))
    .replace(/:\w+/g, 'x')
    .replace(/\*/g, 'x');
}

describe('every HTTP route of every service denies by default (each service as its own process)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let dataDir: string;
  const processes = new Map<ServiceWithSchema, ServiceProcess>();
  const routes: Route[] = [];

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-auth-'));
    await Promise.all(
      SERVICES.map(async (service) => {
        processes.set(
          service,
          await startServiceProcess(service, { db, messaging, dataDir, env: { LOG_LEVEL: 'debug' } }),
        );
      }),
    );
    for (const [service, proc] of processes) {
      const line = proc
        .output()
        .split('\n')
        .find((l) => l.includes('"msg":"http routes"'));
      if (!line) throw new Error(`${service} logged no "http routes" line at start`);
      for (const route of (JSON.parse(line) as { routes: string[] }).routes) {
        const [method, url] = route.split(' ') as [string, string];
        routes.push({ service, method, url });
      }
    }
    // Git over HTTP is served from an onRequest hook, not a registered route.
    routes.push({ service: 'forge', method: 'GET', url: '/:owner/:name.git/info/refs' });
    routes.push({ service: 'forge', method: 'POST', url: '/:owner/:name.git/git-receive-pack' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const call = async (route: Route, headers: Record<string, string>) => {
    const proc = processes.get(route.service)!;
    const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(route.method);
    // A refusal is immediate; an answer still streaming after 5 s is an event stream left open.
    const res = await fetch(`${proc.url}${concrete(route.url)}`, {
      method: route.method,
      redirect: 'manual',
      headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      body: hasBody ? '{}' : undefined,
      signal: AbortSignal.timeout(5_000),
    }).catch((err: Error) => err);
    if (res instanceof Error) return res.name === 'TimeoutError' ? 'a stream left open' : res.message;
    const status = res.status;
    await res.body?.cancel();
    return status;
  };
  const publicRule = (route: Route) =>
    PUBLIC[`${route.method} ${route.url}`] ?? PUBLIC[`${route.service} ${route.method} ${route.url}`];

  it('finds the routes of every service, including each API family', () => {
    const keys = routes.map((r) => `${r.service} ${r.method} ${r.url}`);
    for (const service of SERVICES) expect(keys).toContain(`${service} GET /readyz`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'ingress POST /api/v1/work-items',
        'console GET /api/work-items',
        'forge POST /api/v1/repos/:owner/:name/pulls/:number/merge',
        'mcp-context POST /mcp',
        'notifier GET /events',
      ]),
    );
  });

  for (const [label, headers] of [
    ['without credentials', {}],
    ['with forged credentials', FORGED],
  ] as const) {
    it(`refuses ${label} with 401 or 403 on every route that is not public, and never answers 5xx`, async () => {
      const wrong: string[] = [];
      for (const route of routes) {
        const status = await call(route, headers);
        const rule = publicRule(route);
        const where = `${route.service} ${route.method} ${route.url} → ${status}`;
        if (typeof status === 'string') wrong.push(where);
        else if (status >= 500) wrong.push(`${where} (a server error)`);
        else if (!rule && status !== 401 && status !== 403) wrong.push(`${where} (not refused)`);
        else if (rule?.refuses && status < 400) wrong.push(`${where} (public, but it must refuse this)`);
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }

  it('lists no public route that no service registers (the list stays true)', () => {
    const registered = new Set(
      routes.flatMap((r) => [`${r.method} ${r.url}`, `${r.service} ${r.method} ${r.url}`]),
    );
    expect(Object.keys(PUBLIC).filter((key) => !registered.has(key))).toEqual([]);
  });
});
