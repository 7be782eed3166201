import { envelopeFor, githubMergeConflict, githubPullRequest } from '@horizon/contracts';
import { GitHubStandIn, pullRequestClosed, startGitHubStandIn } from '@horizon/testing';
import { createGitHubApp, mintInstallationToken } from '../app/github-app';
import { conflictsAfterMerge } from './conflicts-after-merge';
import { OctokitForge } from './octokit-forge';

const widgets = { id: 1296269, owner: 'acme', name: 'widgets', fullName: 'acme/widgets' };
const repo = { owner: 'acme', repo: 'widgets' };
const isHorizonBranch = (ref: string) => ref.startsWith('horizon/');

describe('merge conflicts on GitHub after a merge (real Octokit against the GitHub stand-in)', () => {
  let gh: GitHubStandIn;
  let forge: OctokitForge;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedRepo({ owner: 'acme', name: 'widgets', collaborators: ['octocat'] });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets'],
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
    });
    const app = await createGitHubApp({ appId: gh.app.id, privateKey: gh.app.privateKey, baseUrl: gh.url });
    const minted = await mintInstallationToken(app, {
      owner: 'acme',
      repo: 'widgets',
      permissions: { pull_requests: 'read' },
    });
    forge = await OctokitForge.withToken(minted.token, gh.url);
  });
  afterAll(() => gh.close());

  /** Opens one PR per head on `main` as the app, and returns their numbers by head. */
  async function open(heads: string[], base = 'main') {
    const app = await createGitHubApp({ appId: gh.app.id, privateKey: gh.app.privateKey, baseUrl: gh.url });
    const { token } = await mintInstallationToken(app, {
      owner: 'acme',
      repo: 'widgets',
      permissions: { pull_requests: 'write' },
    });
    const writer = await OctokitForge.withToken(token, gh.url);
    const numbers: Record<string, number> = {};
    for (const head of heads) {
      gh.pushBranch('acme/widgets', head, { sha: head.length.toString(16).padStart(40, 'a') });
      numbers[head] = (await writer.createPullRequest(repo, { head, base, title: head, body: '' })).number;
    }
    return numbers;
  }

  function mergedEvent(number: number, branch: string, deliveryId?: string) {
    const data = pullRequestClosed({ branch, number, merged: true, ...(deliveryId ? { deliveryId } : {}) });
    return envelopeFor(
      githubPullRequest,
      { ...data, repository: widgets },
      { id: `github:${data.delivery.deliveryId}`, source: 'ingress' },
    );
  }

  it('reports the conflicting Horizon PR once, not a clean one, a person’s, or one on another base', async () => {
    gh.pushBranch('acme/widgets', 'release', { sha: 'e'.repeat(40) });
    const prs = await open(['horizon/a-menu', 'horizon/b-menu', 'horizon/c-footer', 'octocat/menu']);
    const onRelease = await open(['horizon/r-menu'], 'release');
    gh.mergePull('acme/widgets', prs['horizon/a-menu']!, {
      conflicting: [prs['horizon/b-menu']!, prs['octocat/menu']!, onRelease['horizon/r-menu']!],
      pendingAsks: 2,
    });
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    const merged = mergedEvent(prs['horizon/a-menu']!, 'horizon/a-menu');

    const events = await conflictsAfterMerge(forge, merged, { isHorizonBranch, wait });

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(githubMergeConflict.data.parse(event!.data)).toMatchObject({
      delivery: { source: 'github', event: 'merge_conflict', action: null },
      repository: widgets,
      pullRequest: { number: prs['horizon/b-menu'], headRef: 'horizon/b-menu', baseRef: 'main' },
      mergedNumber: prs['horizon/a-menu'],
      reason: 'merge conflict with main',
    });
    expect(event!.subject).toBe('hzn.ingress.github.merge_conflict');
    expect(event!.correlationId).toBe(merged.correlationId);
    // GitHub answered null twice to each of the two Horizon PRs on main: two waits each, doubling.
    expect(waits.sort()).toEqual([1000, 1000, 2000, 2000]);

    // A redelivered merge publishes the same id (JetStream de-duplicates), and nothing more.
    const again = await conflictsAfterMerge(forge, mergedEvent(prs['horizon/a-menu']!, 'horizon/a-menu'), {
      isHorizonBranch,
      wait,
    });
    expect(again.map((e) => e.id)).toEqual([event!.id]);
  });

  it('gives up without a report when GitHub does not compute it within the asks', async () => {
    const prs = await open(['horizon/d-first', 'horizon/e-slow']);
    gh.mergePull('acme/widgets', prs['horizon/d-first']!, {
      conflicting: [prs['horizon/e-slow']!],
      pendingAsks: 9,
    });
    const events = await conflictsAfterMerge(forge, mergedEvent(prs['horizon/d-first']!, 'horizon/d-first'), {
      isHorizonBranch,
      polling: { attempts: 3, firstDelayMs: 1, maxDelayMs: 2 },
    });
    expect(events).toEqual([]);
    const asks = gh.model.requests.filter(
      (r) => r.method === 'GET' && r.path === `/repos/acme/widgets/pulls/${prs['horizon/e-slow']}`,
    );
    expect(asks).toHaveLength(3);
  });

  it('ignores a PR closed without merging', async () => {
    const prs = await open(['horizon/f-closed', 'horizon/g-other']);
    const data = pullRequestClosed({
      branch: 'horizon/f-closed',
      number: prs['horizon/f-closed']!,
      merged: false,
    });
    const closed = envelopeFor(githubPullRequest, { ...data, repository: widgets }, { source: 'ingress' });
    expect(await conflictsAfterMerge(forge, closed, { isHorizonBranch })).toEqual([]);
  });
});
