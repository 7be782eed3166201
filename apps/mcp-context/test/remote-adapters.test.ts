import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { LinearReader } from '@horizon/integrations-linear';
import { startLinearStandin, LinearStandin } from '@horizon/testing';
import { DatadogLogs } from '../src/sources/datadog-logs';
import { SentryErrors } from '../src/sources/sentry-errors';

/** A loopback HTTP server answering with `handle`, recording each request with its body. */
async function httpStandin(
  handle: (req: IncomingMessage, body: string, res: ServerResponse, base: string) => void,
) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    handle(req, body, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('Datadog logs adapter (POST /api/v2/logs/events/search)', () => {
  it('sends the query with keys, follows meta.page.after, and maps logs', async () => {
    const log = (id: string, message: string) => ({
      id,
      type: 'log',
      attributes: {
        timestamp: '2026-11-20T10:00:00.000Z',
        status: 'error',
        service: 'orchestrator',
        message,
        attributes: { runId: 'r-9' },
        tags: [],
      },
    });
    const dd = await httpStandin((req, body, res) => {
      if (req.headers['dd-api-key'] !== 'api' || req.headers['dd-application-key'] !== 'app')
        return json(res, 403, { errors: ['Forbidden'] });
      const cursor = (JSON.parse(body) as { page: { cursor?: string } }).page.cursor;
      if (!cursor)
        return json(res, 200, {
          data: [log('1', 'boot failed')],
          meta: { page: { after: 'page-2' } },
          links: {},
        });
      return json(res, 200, { data: [log('2', 'boot failed again')], meta: { page: {} } });
    });
    try {
      const since = new Date('2026-11-20T00:00:00Z');
      const entries = await new DatadogLogs({ apiKey: 'api', appKey: 'app', apiUrl: dd.url }).search({
        text: 'boot failed',
        level: 'error',
        service: 'orchestrator',
        runId: 'r-9',
        since,
      });
      expect(entries.map((e) => [e.message, e.level, e.service, e.runId])).toEqual([
        ['boot failed', 'error', 'orchestrator', 'r-9'],
        ['boot failed again', 'error', 'orchestrator', 'r-9'],
      ]);
      const first = JSON.parse(dd.seen[0]!.body);
      expect(dd.seen[0]!.url).toBe('/api/v2/logs/events/search');
      expect(first).toMatchObject({
        filter: {
          query:
            'boot failed status:(error OR critical OR alert OR emergency) service:orchestrator @runId:r-9',
          from: since.toISOString(),
        },
        sort: '-timestamp',
      });
      expect(JSON.parse(dd.seen[1]!.body).page.cursor).toBe('page-2');
      await expect(
        new DatadogLogs({ apiKey: 'wrong', appKey: 'app', apiUrl: dd.url }).search({}),
      ).rejects.toThrow('datadog: HTTP 403: Forbidden');
    } finally {
      await dd.close();
    }
  });
});

describe('Sentry errors adapter (GET /api/0/organizations/{org}/issues/)', () => {
  it('authenticates, follows the Link cursor while results="true", and maps issues', async () => {
    const issue = (id: string, slug: string) => ({
      id,
      title: `TypeError: boom ${id}`,
      culprit: 'capture(src/payments/capture.ts)',
      level: 'error',
      count: '12',
      firstSeen: '2026-11-19T10:00:00Z',
      lastSeen: '2026-11-20T10:00:00Z',
      permalink: `https://sentry.io/organizations/acme/issues/${id}/`,
      project: { slug },
      metadata: { type: 'TypeError', value: `boom ${id}` },
    });
    const sentry = await httpStandin((req, _body, res, base) => {
      if (req.headers.authorization !== 'Bearer sntrys_x') return json(res, 401, { detail: 'Invalid token' });
      const url = new URL(req.url!, base);
      const next = (cursor: string, results: boolean) =>
        `<${base}/api/0/organizations/acme/issues/?cursor=${cursor}>; rel="next"; results="${results}"; cursor="${cursor}"`;
      if (!url.searchParams.get('cursor'))
        return json(res, 200, [issue('1', 'shop'), issue('2', 'admin')], { link: next('0:100:0', true) });
      return json(res, 200, [issue('3', 'shop')], { link: next('0:200:0', false) });
    });
    try {
      const groups = await new SentryErrors({ token: 'sntrys_x', org: 'acme', url: sentry.url }).search({
        text: 'TypeError',
        service: 'shop',
      });
      expect(groups.map((g) => [g.id, g.count, g.service])).toEqual([
        ['1', 12, 'shop'],
        ['3', 12, 'shop'],
      ]);
      expect(groups[0]!.detail).toBe('capture(src/payments/capture.ts)\nTypeError: boom 1');
      expect(sentry.seen).toHaveLength(2);
      expect(new URL(sentry.seen[0]!.url, sentry.url).searchParams.get('query')).toBe('TypeError');
      await expect(
        new SentryErrors({ token: 'bad', org: 'acme', url: sentry.url }).search({}),
      ).rejects.toThrow(/sentry: HTTP 401/);
    } finally {
      await sentry.close();
    }
  });
});

describe('Linear tracker adapter (@linear/sdk against the Linear stand-in)', () => {
  let linear: LinearStandin;
  beforeAll(async () => {
    linear = await startLinearStandin();
  });
  afterAll(() => linear.close());

  it('reads an issue by key and a project with its documents, through operations the SDK sends', async () => {
    const team = linear.state.addTeam({ key: 'ENG' });
    const project = linear.state.addProject({
      name: 'Checkout',
      teamIds: [team.id],
      description: 'Reliable checkout',
      content: '# Goals\nNo lost captures.',
    });
    linear.state.documents.set('doc-1', {
      id: 'doc-1',
      projectId: project.id,
      title: 'Runbook',
      content: 'Page the on-call.',
    });
    const inProgress = linear.state.teamStates(team.id).find((s) => s.name === 'In Progress')!;
    linear.state.issues.set('issue-1', {
      id: 'issue-1',
      teamId: team.id,
      projectId: project.id,
      number: 12,
      identifier: 'ENG-12',
      title: 'Retry captures',
      description: 'With back-off.',
      stateId: inProgress.id,
      createdAt: new Date('2026-11-01T00:00:00Z'),
      updatedAt: new Date('2026-11-02T00:00:00Z'),
    });
    const tracker = new LinearReader({ apiKey: 'lin_api_test', apiUrl: linear.url });

    expect(await tracker.getIssue('ENG-12')).toMatchObject({
      id: 'issue-1',
      identifier: 'ENG-12',
      title: 'Retry captures',
      description: 'With back-off.',
      state: 'In Progress',
      projectId: project.id,
      url: expect.stringContaining('ENG-12'),
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const { project: read, documents } = await tracker.getProject(project.id);
    expect(read).toMatchObject({ id: project.id, name: 'Checkout', description: 'Reliable checkout' });
    expect(documents.map((d) => [d.title, d.content])).toEqual([
      ['Checkout', '# Goals\nNo lost captures.'],
      ['Runbook', 'Page the on-call.'],
    ]);
    await expect(tracker.getIssue('ENG-404')).rejects.toThrow('linear: ENG-404 not found');
    expect(linear.requests.every((r) => r.outcome === 'ok' || r.outcome === 'INPUT_ERROR')).toBe(true);
  });
});
