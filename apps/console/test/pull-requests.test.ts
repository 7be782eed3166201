import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalForgeClient } from '@horizon/local-forge-client';
import { gitIn, sampleRepository, startForge, until, type ForgeUnderTest } from '@horizon/testing';
import type { PullRequestPage } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * The pull request page's API against the real local forge (its own process) and the real
 * orchestrator: a real pull request with a real diff and check run, reviewed and merged through
 * the console as the signed-in people, and seen so on the forge.
 */
describe('console pull requests', () => {
  let forge: ForgeUnderTest;
  let hzn: ConsoleUnderTest;
  let api: LocalForgeClient;
  let number: number;
  let headSha: string;
  let member: Browser;
  let reviewer: Browser;
  let viewer: Browser;
  let outsider: Browser;
  const owner = 'acme';
  const name = `w${randomUUID().slice(0, 6)}`;
  const repo = `${owner}/${name}`;
  const head = `horizon/${randomUUID().slice(0, 8)}-coupons`;
  const route = (rest = '') => `/api/pulls/${repo}/${number}${rest}`;

  beforeAll(async () => {
    forge = await startForge();
    api = new LocalForgeClient({ baseUrl: forge.url, token: forge.token });
    await api.createRepository({ owner, name, from: sampleRepository() });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'console-pr-'));
    const remote = `http://x-access-token:${forge.token}@127.0.0.1:${forge.port}/${repo}.git`;
    await gitIn(work, ['clone', '-q', remote, 'w']);
    const clone = path.join(work, 'w');
    await gitIn(clone, ['checkout', '-q', '-b', head]);
    fs.writeFileSync(
      path.join(clone, 'coupons.ts'),
      'export const coupon = (code: string) => code === "SAVE10";\n',
    );
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'coupons']);
    await gitIn(clone, ['push', '-q', 'origin', head]);
    const bot = api.as('horizon[bot]');
    const pr = await bot.createPull(owner, name, { head, title: 'Add coupons', body: 'Closes CART-2' });
    number = pr.number;
    headSha = pr.headSha;
    await bot.createCheckRun(owner, name, {
      headSha,
      name: 'horizon/verify',
      results: [{ command: 'npm test', exitCode: 0, durationMs: 900 }],
    });

    hzn = await ConsoleUnderTest.start({ FORGE_URL: forge.url, FORGE_TOKEN: forge.token });
    [member, reviewer, viewer, outsider] = await Promise.all([
      hzn.signIn('ada', 'member', repo),
      hzn.signIn('Grace Hopper', 'member', repo),
      hzn.signIn('vic', 'viewer', repo),
      hzn.signIn('mal', 'member', `${owner}/elsewhere`),
    ]);
  }, 180_000);
  afterAll(async () => {
    await hzn?.stop();
    await forge?.close();
  });

  it('answers the pull request with its checks, reviews and real diff to anyone with a role', async () => {
    const res = await hzn.request(route(), { browser: viewer });
    expect(res.status).toBe(200);
    const page = (await res.json()) as PullRequestPage;
    expect(page).toMatchObject({
      repo,
      role: 'viewer',
      pullRequest: {
        number,
        title: 'Add coupons',
        body: 'Closes CART-2',
        state: 'open',
        merged: false,
        author: 'horizon[bot]',
        headRef: head,
        baseRef: 'main',
        headSha,
        approved: false,
        mergeable: true,
      },
      checkRuns: [
        { name: 'horizon/verify', conclusion: 'success', summary: expect.stringContaining('npm test') },
      ],
      reviews: [],
      comments: [],
      workItem: null,
    });
    // Where the page's live updates start: the stream's position, read before the forge.
    expect(page.streamSeq).toEqual(expect.any(Number));
    expect(page.diff).toMatch(/^diff --git a\/coupons\.ts b\/coupons\.ts/m);
    expect(page.diff).toContain('+export const coupon');
  });

  it('answers 404 for a repository the person has no role in and for a pull request that does not exist', async () => {
    const hidden = await hzn.request(route(), { browser: outsider });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { message: string }).message).not.toContain('coupons');
    expect(
      (
        await hzn.request(route('/reviews'), {
          method: 'POST',
          browser: outsider,
          body: { event: 'APPROVE' },
        })
      ).status,
    ).toBe(404);
    const missing = await hzn.request(`/api/pulls/${repo}/999`, { browser: member });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(
      /no pull request .*#999 on the local forge/,
    );
    expect((await hzn.request(`/api/pulls/${repo}/abc`, { browser: member })).status).toBe(400);
  });

  it('refuses a viewer’s review and merge with 403, and a change without the CSRF token', async () => {
    for (const [rest, body] of [
      ['/reviews', { event: 'APPROVE' }],
      ['/merge', {}],
    ] as const) {
      const res = await hzn.request(route(rest), { method: 'POST', browser: viewer, body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/member role/);
    }
    // A member elsewhere who is only a viewer here passes the guard, and is refused by the repository's rule.
    const memberElsewhere = await hzn.signIn('vic', 'member', `${owner}/elsewhere`);
    const here = await hzn.request(route('/reviews'), {
      method: 'POST',
      browser: memberElsewhere,
      body: { event: 'APPROVE' },
    });
    expect(here.status).toBe(403);
    expect(((await here.json()) as { message: string }).message).toMatch(
      new RegExp(`you are a viewer of ${repo}: reviewing and merging need the member role`),
    );
    const noCsrf = await hzn.request(route('/reviews'), {
      method: 'POST',
      browser: member,
      csrf: null,
      body: { event: 'APPROVE' },
    });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { message: string }).message).toMatch(/x-csrf-token/);
    expect(await api.reviews(owner, name, number)).toEqual([]);
  });

  it('reviews as the person, refuses a merge until approved, merges as the person, and audits each', async () => {
    const early = await hzn.request(route('/merge'), { method: 'POST', browser: member, body: {} });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { message: string }).message).toMatch(/^not mergeable: approve it first/);

    const bodiless = await hzn.request(route('/reviews'), {
      method: 'POST',
      browser: reviewer,
      body: { event: 'REQUEST_CHANGES' },
    });
    expect(bodiless.status).toBe(400);

    const changes = await hzn.request(route('/reviews'), {
      method: 'POST',
      browser: reviewer,
      body: { event: 'REQUEST_CHANGES', body: 'Codes must be case-insensitive.' },
    });
    expect(changes.status).toBe(201);
    // The forge publishes it as GitHub's pull_request_review, by the person: what starts a revise run.
    const published = await until(
      async () =>
        (await forge.ingressMessages()).find((m) =>
          m.subject.endsWith('.hzn.ingress.github.pull_request_review'),
        ),
      'the review on the forge’s ingress stream',
    );
    expect(published.envelope.data).toMatchObject({
      review: { state: 'changes_requested', author: 'Grace-Hopper', body: 'Codes must be case-insensitive.' },
      pullRequest: { number, headRef: head },
    });

    expect(
      (await hzn.request(route('/reviews'), { method: 'POST', browser: member, body: { event: 'APPROVE' } }))
        .status,
    ).toBe(201);
    const blocked = await hzn.request(route('/merge'), {
      method: 'POST',
      browser: member,
      body: { sha: headSha },
    });
    expect(blocked.status).toBe(409);
    expect(((await blocked.json()) as { message: string }).message).toMatch(
      /changes requested by Grace-Hopper/,
    );

    await hzn.request(route('/reviews'), {
      method: 'POST',
      browser: reviewer,
      body: { event: 'APPROVE', body: 'Fixed.' },
    });
    const page = (await (await hzn.request(route(), { browser: member })).json()) as PullRequestPage;
    expect(page.role).toBe('member');
    expect(page.reviews.map((r) => [r.author, r.state])).toEqual([
      ['Grace-Hopper', 'changes_requested'],
      ['ada', 'approved'],
      ['Grace-Hopper', 'approved'],
    ]);
    expect(page.pullRequest).toMatchObject({
      approved: true,
      approvedBy: expect.arrayContaining(['ada', 'Grace-Hopper']),
    });

    const merged = await hzn.request(route('/merge'), {
      method: 'POST',
      browser: member,
      body: { sha: headSha },
    });
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({
      mergedBy: 'ada',
      mergeCommitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(await api.pull(owner, name, number)).toMatchObject({
      state: 'closed',
      merged: true,
      mergedBy: 'ada',
    });
    const again = await hzn.request(route('/merge'), { method: 'POST', browser: member, body: {} });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/already merged/);

    const audit = await hzn.query<{
      actor: string;
      action: string;
      target: string;
      detail: { login: string };
    }>(
      `SELECT actor, action, target, detail FROM console."ConsoleAudit" WHERE action LIKE 'pull_request.%' ORDER BY at`,
    );
    expect(audit.map((a) => [a.actor, a.action, a.target, a.detail.login])).toEqual([
      ['Grace Hopper', 'pull_request.changes_requested', `${repo}#${number}`, 'Grace-Hopper'],
      ['ada', 'pull_request.approved', `${repo}#${number}`, 'ada'],
      ['Grace Hopper', 'pull_request.approved', `${repo}#${number}`, 'Grace-Hopper'],
      ['ada', 'pull_request.merged', `${repo}#${number}`, 'ada'],
    ]);
  });
});
