import type { WorkItemSummary } from '@horizon/contracts';
import { explainRefusal, workItemOfPull } from './pull-requests';

function item(overrides: Partial<WorkItemSummary>): WorkItemSummary {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'implement',
    state: 'in_review',
    repo: 'acme/shop',
    title: 'Coupons',
    description: '',
    branch: null,
    priority: 0,
    labels: [],
    autoStart: null,
    ownerId: null,
    parentId: null,
    sourceRefs: {},
    stateEnteredAt: '2026-12-01T10:00:00.000Z',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    latestRun: null,
    ...overrides,
  };
}

describe('workItemOfPull', () => {
  const pull = { owner: 'acme', name: 'shop', number: 4, headRef: 'horizon/abc-coupons' };

  it('prefers the item whose source names the pull request, else the one on its branch', () => {
    const byBranch = item({ id: 'b', branch: 'horizon/abc-coupons' });
    const byRef = item({
      id: 'r',
      sourceRefs: {
        pullRequest: { provider: 'local', repo: { owner: 'acme', name: 'shop' }, number: 4, branch: 'x' },
      },
    });
    const github = item({
      id: 'g',
      sourceRefs: {
        pullRequest: { provider: 'github', repo: { owner: 'acme', name: 'shop' }, number: 4, branch: 'x' },
      },
    });
    expect(workItemOfPull([github, byBranch, byRef], pull)?.id).toBe('r');
    expect(workItemOfPull([github, byBranch], pull)?.id).toBe('b');
    expect(workItemOfPull([github], pull)).toBeNull();
  });
});

describe('explainRefusal', () => {
  const where = 'acme/shop#4';
  it('says what to do about a merge the forge refuses', () => {
    expect(
      explainRefusal(
        'merge',
        {
          status: 405,
          message:
            'POST /api/v1/repos/acme/shop/pulls/4/merge: 405 it needs an approving review (FORGE_REQUIRE_APPROVAL)',
        },
        where,
      ),
    ).toEqual({
      status: 409,
      message: 'not mergeable: approve it first (it needs an approving review (FORGE_REQUIRE_APPROVAL))',
    });
    expect(
      explainRefusal('merge', { status: 405, message: 'not mergeable: conflict in a.ts' }, where),
    ).toEqual({
      status: 409,
      message: 'not mergeable: conflict in a.ts; update the branch, then try again',
    });
    expect(
      explainRefusal('merge', { status: 409, message: 'head is a, not b: the branch moved' }, where).message,
    ).toMatch(/reload the page/);
  });

  it('answers 404 for what the forge does not have, 422 for a review it refuses, 502 for its own failures', () => {
    expect(explainRefusal('read', { status: 404, message: 'nope' }, where).status).toBe(404);
    expect(
      explainRefusal('review', { status: 422, message: 'you cannot approve your own pull request' }, where),
    ).toEqual({
      status: 422,
      message: 'the forge refused the review: you cannot approve your own pull request',
    });
    expect(explainRefusal('read', { status: 401, message: 'token' }, where)).toMatchObject({
      status: 502,
      message: expect.stringContaining('FORGE_TOKEN'),
    });
    expect(explainRefusal('read', { status: 500, message: 'boom' }, where).status).toBe(502);
  });
});
