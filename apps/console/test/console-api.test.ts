import { randomUUID } from 'node:crypto';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { apiWorkItemCancel, apiWorkItemCreate } from '@horizon/contracts';
import { cancelRequest, createRequest, until } from '@horizon/testing';
import { CONSOLE_CONTROLLERS } from '../src/app.module';
import type { BoardView, GraphView, PersonView, WorkItemPage } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';
import { consoleRoutes } from './support/routes';
import { SseReader } from './support/sse';

/**
 * The console's API over real HTTP, Postgres and JetStream, reading from the real orchestrator:
 * who may call what (table-driven over every route), sign-in links, CSRF, the board, and the
 * live stream with resume.
 */
describe('console API', () => {
  let hzn: ConsoleUnderTest;
  let admin: Browser;
  const repo = `acme/c${randomUUID().slice(0, 6)}`;
  const otherRepo = `acme/o${randomUUID().slice(0, 6)}`;
  const first = createRequest({ title: 'Add coupons', repo, autoStart: false });
  const second = createRequest({
    title: 'Apply coupons at checkout',
    repo,
    autoStart: false,
    blockedBy: [first.workItemId],
  });
  const hidden = createRequest({ title: 'Secret project', repo: otherRepo, autoStart: false });

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    for (const item of [first, second, hidden]) await hzn.publish(apiWorkItemCreate, item);
    admin = await hzn.signIn('ada');
    await until(
      async () =>
        ((await (await hzn.request('/api/work-items', { browser: admin })).json()) as BoardView).items
          .length === 3,
      'the orchestrator to record the three items',
    );
  }, 120_000);
  afterAll(() => hzn?.stop());

  describe('signing in', () => {
    it('spends a link once for an httpOnly, SameSite session cookie, then sends the browser to the board', async () => {
      const link = await hzn.link('grace', 'member', repo);
      expect(link).toMatch(new RegExp(`^${hzn.url}/auth/sign-in\\?token=[A-Za-z0-9_-]{43}$`));
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
      expect(res.headers.get('set-cookie')).toMatch(
        /^hzn_session=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Lax/,
      );
      const again = await fetch(link, { redirect: 'manual' });
      expect(again.status).toBe(401);
      expect(await again.text()).toMatch(/already used[\s\S]*console link/);
      const forged = await fetch(`${hzn.url}/auth/sign-in?token=not-a-token`, { redirect: 'manual' });
      expect(await forged.text()).toMatch(/not one the console issued/);
    });

    it('keeps only hashes of links and sessions', async () => {
      const browser = await hzn.signIn('hashes');
      const rows = await hzn.query<{ tokenHash: string }>(
        `SELECT "tokenHash" FROM console."ConsoleSession" UNION ALL SELECT "tokenHash" FROM console."ConsoleSignInLink"`,
      );
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(browser.cookie.split('=')[1]);
    });

    it('answers the session, and signs out only with the CSRF token from the same origin', async () => {
      const browser = await hzn.signIn('sam', 'viewer', repo);
      const session = await (await hzn.request('/api/session', { browser })).json();
      expect(session).toEqual({
        person: { id: browser.personId, name: 'sam' },
        grants: [{ repo, role: 'viewer' }],
        csrfToken: browser.csrfToken,
      });
      expect((await hzn.request('/auth/sign-out', { method: 'POST', browser, csrf: null })).status).toBe(403);
      expect((await hzn.request('/auth/sign-out', { method: 'POST', browser, csrf: 'wrong' })).status).toBe(
        403,
      );
      const crossSite = await hzn.request('/auth/sign-out', {
        method: 'POST',
        browser,
        headers: { origin: 'https://evil.example' },
      });
      expect(crossSite.status).toBe(403);
      expect((await hzn.request('/auth/sign-out', { method: 'POST', browser })).status).toBe(204);
      expect((await hzn.request('/api/session', { browser })).status).toBe(401);
    });
  });

  describe('who may call what', () => {
    const routes = consoleRoutes(repo, first.workItemId);
    const template = (path: string) =>
      path
        .split('?')[0]!
        .replace(/[0-9a-f-]{36}/, ':id')
        // A second id in a path is an artifact's (a run's evidence).
        .replace(/[0-9a-f-]{36}/, ':artifactId')
        .replace(/^\/api\/pulls\/[^/]+\/[^/]+\/\d+/, '/api/pulls/:owner/:name/:number');

    it('lists every route the controllers declare', () => {
      const declared = CONSOLE_CONTROLLERS.flatMap((controller) => {
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '').replace(/^\/?/, '/');
        return Object.getOwnPropertyNames(controller.prototype)
          .filter((name) => name !== 'constructor')
          .map((name) => (controller.prototype as unknown as Record<string, object>)[name]!)
          .filter((fn) => typeof fn === 'function' && Reflect.hasMetadata(PATH_METADATA, fn))
          .map((fn) => {
            const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as number];
            const sub = String(Reflect.getMetadata(PATH_METADATA, fn));
            return `${method} ${`${base}/${sub}`.replace(/\/+/g, '/').replace(/\/$/, '')}`;
          });
      });
      expect(declared.sort()).toEqual(routes.map((r) => `${r.method} ${template(r.path)}`).sort());
    });

    it.each(routes.filter((r) => r.needs !== 'public'))(
      '$method $path: 401 without a session',
      async (route) => {
        const res = await hzn.request(route.path, { method: route.method, body: route.body });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { message: string }).message).toMatch(/console link/);
      },
    );

    it.each(routes.filter((r) => r.needs === 'admin'))('$method $path: 403 for a member', async (route) => {
      const member = await hzn.signIn(`member-${randomUUID().slice(0, 4)}`, 'member');
      const res = await hzn.request(route.path, { method: route.method, browser: member, body: route.body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/needs the admin role/);
    });

    it.each(routes.filter((r) => r.needs === 'member'))('$method $path: 403 for a viewer', async (route) => {
      const viewer = await hzn.signIn(`viewer-${randomUUID().slice(0, 4)}`, 'viewer');
      const res = await hzn.request(route.path, { method: route.method, browser: viewer, body: route.body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/needs the member role/);
    });

    it('a viewer of one repository is refused the others: 404 for their items, 403 for their graph, and never sees them listed', async () => {
      const outsider = await hzn.signIn(`outsider-${randomUUID().slice(0, 4)}`, 'viewer', repo);
      expect((await hzn.request(`/api/work-items/${hidden.workItemId}`, { browser: outsider })).status).toBe(
        404,
      );
      expect((await hzn.request(`/api/graph?repo=${otherRepo}`, { browser: outsider })).status).toBe(403);
      const board = (await (await hzn.request('/api/work-items', { browser: outsider })).json()) as BoardView;
      expect(board.items.map((i) => i.repo)).toEqual([repo, repo]);
    });

    it('audits sign-ins and invitations with their actor', async () => {
      const invite = await hzn.request('/api/admin/sign-in-links', {
        method: 'POST',
        browser: admin,
        body: { person: 'linus', role: 'member', repo },
      });
      expect(invite.status).toBe(201);
      expect(((await invite.json()) as { url: string }).url).toContain('/auth/sign-in?token=');
      const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
        entries: { actor: string; action: string; target: string | null }[];
      };
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor: 'ada', action: 'person.invited', target: 'linus' }),
          expect.objectContaining({ actor: 'ada', action: 'auth.signed_in' }),
        ]),
      );
    });

    it('refuses a malformed query with 400 naming the parameter', async () => {
      const res = await hzn.request('/api/work-items?state=sideways', { browser: admin });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^state: /);
      expect((await hzn.request('/api/graph', { browser: admin })).status).toBe(400);
    });
  });

  describe('reading work', () => {
    it('answers the board with filters, each item with its latest run and pull request', async () => {
      const board = (await (
        await hzn.request(`/api/work-items?repo=${repo}`, { browser: admin })
      ).json()) as BoardView;
      expect(board.items.map((i) => i.title)).toEqual(['Apply coupons at checkout', 'Add coupons']);
      expect(board.items[0]).toMatchObject({
        state: 'blocked',
        latestRun: null,
        pullRequest: null,
        labels: ['backend'],
      });
      expect(board.streamSeq).toBeGreaterThan(0);
      const blocked = (await (
        await hzn.request(`/api/work-items?state=blocked&repo=${repo}`, { browser: admin })
      ).json()) as BoardView;
      expect(blocked.items.map((i) => i.id)).toEqual([second.workItemId]);
      const labelled = (await (
        await hzn.request('/api/work-items?label=frontend', { browser: admin })
      ).json()) as BoardView;
      expect(labelled.items).toEqual([]);
    });

    it('answers one item with its timeline, and a graph with its edges', async () => {
      const page = (await (
        await hzn.request(`/api/work-items/${second.workItemId}`, { browser: admin })
      ).json()) as WorkItemPage;
      expect(page.workItem).toMatchObject({ id: second.workItemId, blockedBy: [first.workItemId] });
      expect(page.workItem.timeline.length).toBeGreaterThan(0);
      const graph = (await (
        await hzn.request(`/api/graph?repo=${repo}`, { browser: admin })
      ).json()) as GraphView;
      expect(graph.edges).toEqual([{ from: first.workItemId, to: second.workItemId }]);
      expect((await hzn.request(`/api/work-items/${randomUUID()}`, { browser: admin })).status).toBe(404);
      expect((await hzn.request('/api/work-items/not-a-uuid', { browser: admin })).status).toBe(400);
    });

    it('streams changes after the position the board was read at, and resumes after the last one seen', async () => {
      const board = (await (
        await hzn.request(`/api/work-items?repo=${repo}`, { browser: admin })
      ).json()) as BoardView;
      const live = await SseReader.open(`${hzn.url}/api/events?after=${board.streamSeq}`, {
        cookie: admin.cookie,
      });
      await hzn.publish(apiWorkItemCancel, cancelRequest(first.workItemId, 'not needed'));
      const cancelled = await until(
        () =>
          live.events.find(
            (e) => e.subject === 'hzn.evt.workitem.state_changed' && e.data.to === 'cancelled',
          ),
        'the cancellation on the live stream',
      );
      expect(cancelled).toMatchObject({ id: String(cancelled.seq), data: { workItemId: first.workItemId } });
      await live.close();

      // While the browser is away, the second item is cancelled too; it reconnects with Last-Event-ID.
      await hzn.publish(apiWorkItemCancel, cancelRequest(second.workItemId, 'not needed either'));
      await until(
        async () =>
          (
            (await (
              await hzn.request(`/api/work-items/${second.workItemId}`, { browser: admin })
            ).json()) as WorkItemPage
          ).workItem.state === 'cancelled',
        'the second cancellation',
      );
      const resumed = await SseReader.open(`${hzn.url}/api/events?after=${board.streamSeq}`, {
        cookie: admin.cookie,
        'last-event-id': cancelled.id,
      });
      const next = await until(
        () =>
          resumed.events.find((e) => e.data.workItemId === second.workItemId && e.data.to === 'cancelled'),
        'the missed cancellation after resuming',
      );
      expect(resumed.events.every((e) => e.seq > cancelled.seq)).toBe(true);
      expect(new Set(resumed.events.map((e) => e.seq)).size).toBe(resumed.events.length);
      expect(next.seq).toBeGreaterThan(cancelled.seq);
      await resumed.close();
    });

    it('keeps another repository’s events from a viewer who may not see it', async () => {
      const outsider = await hzn.signIn(`live-outsider-${randomUUID().slice(0, 4)}`, 'viewer', repo);
      const live = await SseReader.open(`${hzn.url}/api/events`, { cookie: outsider.cookie });
      const mine = createRequest({ title: 'Visible', repo, autoStart: false });
      await hzn.publish(
        apiWorkItemCreate,
        createRequest({ title: 'Invisible', repo: otherRepo, autoStart: false }),
      );
      await hzn.publish(apiWorkItemCreate, mine);
      await until(() => live.events.find((e) => e.data.workItemId === mine.workItemId), 'the visible item');
      expect(live.events.every((e) => e.data.repo === undefined || e.data.repo === repo)).toBe(true);
      await live.close();
    });
  });

  describe('administering people', () => {
    it('lets an admin of a repository grant roles and invite people there, and nowhere else', async () => {
      const repoAdmin = await hzn.signIn(`repo-admin-${randomUUID().slice(0, 4)}`, 'admin', repo);
      const newcomer = await hzn.signIn(`newcomer-${randomUUID().slice(0, 4)}`, 'viewer', repo);
      const grant = (body: unknown, as = repoAdmin) =>
        hzn.request(`/api/admin/people/${newcomer.personId}/grants`, { method: 'POST', browser: as, body });
      expect((await grant({ repo, role: 'member' })).status).toBe(204);
      expect((await grant({ repo: otherRepo, role: 'member' })).status).toBe(403);
      const everywhere = await grant({ repo: '*', role: 'admin' });
      expect(everywhere.status).toBe(403);
      expect(((await everywhere.json()) as { message: string }).message).toMatch(/admin of every repository/);
      const escalate = await hzn.request('/api/admin/sign-in-links', {
        method: 'POST',
        browser: repoAdmin,
        body: { person: 'mallory', role: 'admin', repo: '*' },
      });
      expect(escalate.status).toBe(403);
      const people = (await (
        await hzn.request('/api/admin/people', { browser: admin })
      ).json()) as PersonView[];
      expect(people.find((p) => p.id === newcomer.personId)!.grants).toEqual([{ repo, role: 'member' }]);
      expect((await grant({ repo, role: null })).status).toBe(204);
      expect((await hzn.request('/api/work-items', { browser: newcomer })).status).toBe(403);
    });

    it('signs a person out everywhere, and never drops the last admin of every repository', async () => {
      const target = await hzn.signIn(`leaver-${randomUUID().slice(0, 4)}`, 'viewer', repo);
      const out = await hzn.request(`/api/admin/people/${target.personId}/sign-out`, {
        method: 'POST',
        browser: admin,
      });
      expect(await out.json()).toEqual({ sessionsEnded: 1 });
      expect((await hzn.request('/api/session', { browser: target })).status).toBe(401);

      // Every other admin of every repository steps down; then ada cannot.
      const people = (await (
        await hzn.request('/api/admin/people', { browser: admin })
      ).json()) as PersonView[];
      for (const p of people.filter((p) => p.id !== admin.personId && p.grants.some((g) => g.repo === '*')))
        await hzn.request(`/api/admin/people/${p.id}/grants`, {
          method: 'POST',
          browser: admin,
          body: { repo: '*', role: null },
        });
      const last = await hzn.request(`/api/admin/people/${admin.personId}/grants`, {
        method: 'POST',
        browser: admin,
        body: { repo: '*', role: 'member' },
      });
      expect(last.status).toBe(409);
      expect(((await last.json()) as { message: string }).message).toMatch(/last admin of every repository/);
    });
  });

  describe('serving the app', () => {
    it('answers every page address with the app, unknown API paths with a JSON 404, all with security headers', async () => {
      const page = await fetch(`${hzn.url}/work-items/${first.workItemId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      const missing = await hzn.request('/api/nothing-here', { browser: admin });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { message: string }).message).toMatch(
        /no route GET \/api\/nothing-here/,
      );
    });
  });
});
