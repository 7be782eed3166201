import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGitHubStandIn, GitHubStandIn } from '@horizon/testing';
import { createGitHubApp, mintInstallationToken, revokeInstallationToken } from '../app/github-app';
import type { App } from '../app/github-app';
import { buildCommitTrailers, githubNoreplyEmail, openAttributedPullRequest } from './attribution';
import { OctokitForge } from './octokit-forge';

const RUN_PERMISSIONS = { contents: 'write', pull_requests: 'write', checks: 'write' } as const;
const verification = [
  { command: 'npm test', exitCode: 0, durationMs: 5300 },
  { command: 'npm run lint', exitCode: 0, durationMs: 800 },
];

describe('GitHub outbound against the stand-in (real Octokit, real HTTP)', () => {
  let gh: GitHubStandIn;
  let app: App;
  let appForge: OctokitForge;
  let runToken: string;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedUser('octo-owner', 'Ada Owner');
    gh.seedRepo({ owner: 'acme', name: 'widgets', collaborators: ['octo-owner'] });
    gh.seedRepo({ owner: 'acme', name: 'gadgets', collaborators: ['octo-owner'] });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets', 'gadgets'],
      permissions: {
        contents: 'write',
        pull_requests: 'write',
        checks: 'write',
        issues: 'write',
        metadata: 'read',
      },
    });
    app = await createGitHubApp({ appId: gh.app.id, privateKey: gh.app.privateKey, baseUrl: gh.url });
    runToken = (
      await mintInstallationToken(app, { owner: 'acme', repo: 'widgets', permissions: RUN_PERMISSIONS })
    ).token;
    appForge = await OctokitForge.withToken(runToken, gh.url);
  });
  afterAll(() => gh.close());

  it('mints a token for the one repository and permissions asked, expiring within the hour', async () => {
    const minted = await mintInstallationToken(app, {
      owner: 'acme',
      repo: 'widgets',
      permissions: RUN_PERMISSIONS,
    });
    expect(minted.repositories).toEqual(['widgets']);
    expect(minted.permissions).toEqual({ ...RUN_PERMISSIONS, metadata: 'read' });
    expect(minted.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(minted.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a run token on another repository (404) and beyond its permissions (403)', async () => {
    gh.pushBranch('acme/gadgets', 'horizon/escape', { sha: 'a'.repeat(40) });
    await expect(
      appForge.createPullRequest(
        { owner: 'acme', repo: 'gadgets' },
        { head: 'horizon/escape', base: 'main', title: 't', body: 'b' },
      ),
    ).rejects.toMatchObject({ status: 404 });
    gh.pushBranch('acme/widgets', 'horizon/perm', { sha: 'b'.repeat(40) });
    const pr = await appForge.createPullRequest(
      { owner: 'acme', repo: 'widgets' },
      { head: 'horizon/perm', base: 'main', title: 't', body: 'b' },
    );
    const narrow = await mintInstallationToken(app, {
      owner: 'acme',
      repo: 'widgets',
      permissions: { contents: 'read' },
    });
    const narrowForge = await OctokitForge.withToken(narrow.token, gh.url);
    await expect(
      narrowForge.comment({ owner: 'acme', repo: 'widgets' }, pr.number, 'hi'),
    ).rejects.toMatchObject({ status: 403 });
    expect(gh.model.issueComments).toHaveLength(0);
  });

  it('opens an app-authored PR for an owner without a user token, naming them and asking their review', async () => {
    gh.pushBranch('acme/widgets', 'horizon/eng-12', {
      sha: 'c'.repeat(40),
      diff: 'diff --git a/x b/x\n+hello\n',
    });
    const owner = {
      displayName: 'Ada Owner',
      github: { id: gh.model.user('octo-owner').id, login: 'octo-owner' },
    };
    const opened = await openAttributedPullRequest({
      appForge,
      repo: { owner: 'acme', repo: 'widgets' },
      head: 'horizon/eng-12',
      base: 'main',
      title: 'ENG-12: say hello',
      body: {
        summary: 'Adds hello.',
        trackerIssue: { identifier: 'ENG-12', url: 'https://linear.app/acme/issue/ENG-12' },
        verification,
        owner,
      },
    });
    expect(opened).toMatchObject({ authoredBy: 'app', reviewersRequested: ['octo-owner'] });
    const stored = gh.model.pulls.find(
      (p) => p.number === opened.pullRequest.number && p.head === 'horizon/eng-12',
    )!;
    expect(stored.author).toBe(gh.app.botLogin);
    expect(stored.requestedReviewers).toEqual(['octo-owner']);
    expect(stored.body).toContain('**Owner:** @octo-owner');
    expect(stored.body).toContain('[ENG-12](https://linear.app/acme/issue/ENG-12)');
    expect(stored.body).toContain('2 verification commands passed');
    expect(await appForge.getDiff({ owner: 'acme', repo: 'widgets' }, opened.pullRequest.number)).toBe(
      'diff --git a/x b/x\n+hello\n',
    );
  });

  it('names an owner with no GitHub account at all, and requests no reviewer', async () => {
    gh.pushBranch('acme/widgets', 'horizon/eng-13', { sha: 'd'.repeat(40) });
    const opened = await openAttributedPullRequest({
      appForge,
      repo: { owner: 'acme', repo: 'widgets' },
      head: 'horizon/eng-13',
      base: 'main',
      title: 'ENG-13',
      body: { summary: 'x', verification: [], owner: { displayName: 'Grace Unlinked' } },
    });
    expect(opened.reviewersRequested).toEqual([]);
    expect(gh.model.pulls.find((p) => p.head === 'horizon/eng-13')!.body).toContain(
      'Grace Unlinked (no linked GitHub account)',
    );
  });

  it('reports verification as a check run, comments, reads a review and updates the PR', async () => {
    const repo = { owner: 'acme', repo: 'widgets' };
    gh.pushBranch('acme/widgets', 'horizon/eng-14', { sha: 'e'.repeat(40) });
    const pr = await appForge.createPullRequest(repo, {
      head: 'horizon/eng-14',
      base: 'main',
      title: 'ENG-14',
      body: 'b',
    });
    const check = await appForge.createCheckRun(repo, {
      headSha: pr.headSha,
      name: 'horizon/verify',
      results: [...verification, { command: 'npm run e2e', exitCode: 1, durationMs: 20, output: 'boom' }],
    });
    expect(check.conclusion).toBe('failure');
    expect(gh.model.checkRuns.at(-1)).toMatchObject({
      headSha: 'e'.repeat(40),
      conclusion: 'failure',
      status: 'completed',
    });
    expect(gh.model.checkRuns.at(-1)!.output!.summary).toContain('boom');
    await appForge.comment(repo, pr.number, 'Run finished.');
    expect(gh.model.issueComments.at(-1)).toMatchObject({ body: 'Run finished.', author: gh.app.botLogin });
    const review = gh.seedReview('acme/widgets', pr.number, {
      reviewer: 'octo-owner',
      state: 'CHANGES_REQUESTED',
      body: 'Please rename.',
      comments: [{ path: 'src/x.ts', line: 3, body: 'call it greet' }],
    });
    expect(await appForge.listReviewComments(repo, pr.number, review.id)).toEqual([
      { id: review.comments[0]!.id, author: 'octo-owner', body: 'call it greet', path: 'src/x.ts', line: 3 },
    ]);
    const updated = await appForge.updatePullRequest(repo, pr.number, { title: 'ENG-14 (revised)' });
    expect(updated.number).toBe(pr.number);
    expect(gh.model.pulls.find((p) => p.number === pr.number && p.repo === 'acme/widgets')!.title).toBe(
      'ENG-14 (revised)',
    );
  });

  it('posts an agent review as one pulls.createReview, refused (422) for a line outside the diff', async () => {
    const repo = { owner: 'acme', repo: 'widgets' };
    const diff = 'diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1,2 @@\n a\n+b\n';
    gh.pushBranch('acme/widgets', 'horizon/eng-15', { sha: 'f'.repeat(40), diff });
    const pr = await appForge.createPullRequest(repo, {
      head: 'horizon/eng-15',
      base: 'main',
      title: 'ENG-15',
      body: 'b',
    });
    const review = { commitId: pr.headSha, body: '**Horizon review: changes requested**', comments: [] };
    // The app opened the PR: GitHub refuses its REQUEST_CHANGES, which is why Horizon posts COMMENT there.
    await expect(
      appForge.createReview(repo, pr.number, { ...review, event: 'REQUEST_CHANGES' }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const posted = await appForge.createReview(repo, pr.number, {
      ...review,
      event: 'COMMENT',
      comments: [{ path: 'src/x.ts', line: 2, body: 'Name it.\n\n```suggestion\nconst b = 1;\n```' }],
    });
    expect(await appForge.listReviewComments(repo, pr.number, posted.id)).toEqual([
      {
        id: expect.any(Number),
        author: gh.app.botLogin,
        body: 'Name it.\n\n```suggestion\nconst b = 1;\n```',
        path: 'src/x.ts',
        line: 2,
      },
    ]);
    await expect(
      appForge.createReview(repo, pr.number, {
        ...review,
        event: 'COMMENT',
        comments: [{ path: 'src/x.ts', line: 7, body: 'Out of the diff.' }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.model.reviews.filter((r) => r.pullNumber === pr.number)).toHaveLength(1);
  });

  it('revoking a token makes GitHub refuse it', async () => {
    const minted = await mintInstallationToken(app, {
      owner: 'acme',
      repo: 'widgets',
      permissions: RUN_PERMISSIONS,
    });
    await revokeInstallationToken(minted.token, gh.url);
    const forge = await OctokitForge.withToken(minted.token, gh.url);
    await expect(forge.getDiff({ owner: 'acme', repo: 'widgets' }, 1)).rejects.toMatchObject({ status: 401 });
  });
});

describe('commit trailers', () => {
  it('credits the owner at their noreply address and the agent, as git parses them', () => {
    const trailers = buildCommitTrailers(
      { displayName: 'Ada Owner', github: { id: 583231, login: 'octo-owner' } },
      { name: 'Horizon', email: githubNoreplyEmail({ id: 41898282, login: 'horizon[bot]' }) },
    );
    expect(trailers).toEqual([
      'Co-authored-by: Ada Owner <583231+octo-owner@users.noreply.github.com>',
      'Co-authored-by: Horizon <41898282+horizon[bot]@users.noreply.github.com>',
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailers-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
      git('init', '-q');
      git(
        '-c',
        'user.name=agent',
        '-c',
        'user.email=agent@example.com',
        'commit',
        '-q',
        '--allow-empty',
        '-m',
        `Say hello\n\nBody.\n\n${trailers.join('\n')}`,
      );
      const parsed = git('log', '-1', '--format=%(trailers:key=Co-authored-by,valueonly)').trim().split('\n');
      expect(parsed).toEqual([
        'Ada Owner <583231+octo-owner@users.noreply.github.com>',
        'Horizon <41898282+horizon[bot]@users.noreply.github.com>',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the owner email without a GitHub account, and drops the owner without either', () => {
    const agent = { name: 'Horizon', email: 'bot@example.com' };
    expect(buildCommitTrailers({ displayName: 'Grace', email: 'grace@example.com' }, agent)[0]).toBe(
      'Co-authored-by: Grace <grace@example.com>',
    );
    expect(buildCommitTrailers({ displayName: 'Nobody' }, agent)).toEqual([
      'Co-authored-by: Horizon <bot@example.com>',
    ]);
  });
});
