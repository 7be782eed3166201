import { randomUUID } from 'node:crypto';
import {
  AgentReview,
  DataOf,
  apiWorkItemCreate,
  githubPullRequest,
  runFinished,
  sandboxSnapshotBuilt,
} from '@horizon/contracts';
import { createRequest, pullRequestClosed } from '@horizon/testing';
import { reviewItemId } from '../src/application/review-station';
import { OrchestratorStack, until } from './harness';

type Provision = OrchestratorStack['standIn']['provisions'][number]['data'];

/**
 * The agent review station through the orchestrator over real Postgres and JetStream: forge
 * webhooks in, the review run's report from the sandbox stand-in, and the notifier's commands
 * (the review and the check run) recorded on the real command stream.
 */
describe('agent review station (orchestrator)', () => {
  let stack: OrchestratorStack;
  const held = new Set<string>();

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SCHEDULER_INTERVAL_MS: '100' } });
    // Implement runs succeed by themselves; review and revise runs wait for the test's report.
    stack.standIn.behaviour = (cmd) =>
      cmd.flavour === 'review' || held.has(cmd.workItemId) ? 'hold' : 'succeed';
  });

  afterAll(async () => {
    await stack.stop();
  });

  function pullRequestEvent(opts: {
    action: 'opened' | 'synchronize';
    branch: string;
    number: number;
    headSha: string;
    author?: string;
  }): DataOf<typeof githubPullRequest> {
    const base = pullRequestClosed({ branch: opts.branch, number: opts.number, merged: false });
    const author = opts.author ?? 'horizon[bot]';
    return {
      ...base,
      delivery: { ...base.delivery, action: opts.action, deliveryId: `github-pr-${randomUUID()}` },
      action: opts.action,
      sender: { id: '1', login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User' },
      pullRequest: { ...base.pullRequest, headSha: opts.headSha, author },
    };
  }

  async function finish(cmd: Provision, extra: Partial<DataOf<typeof runFinished>>): Promise<void> {
    await stack.publish(runFinished, {
      runId: cmd.runId,
      workItemId: cmd.workItemId,
      outcome: 'succeeded',
      reason: null,
      usage: { inputTokens: 900, outputTokens: 200, costUsd: 0.004 },
      durationMs: 5,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      summary: null,
      ...extra,
    });
  }

  const changes: AgentReview = {
    verdict: 'request_changes',
    summary: 'Totals are computed in floats.',
    comments: [
      {
        path: 'src/totals.ts',
        line: 3,
        body: 'Use integer cents.',
        suggestion: 'return Math.round(a * 100);',
      },
    ],
  };

  async function reviewOf(number: number, headSha: string, branch: string): Promise<Provision> {
    const id = reviewItemId('acme/billing', number, headSha);
    const cmd = await until(
      () => stack.standIn.provisionsFor(id)[0],
      `the review of #${number} at ${headSha}`,
    );
    expect(cmd.data).toMatchObject({ flavour: 'review', kind: 'review', branch, baseRef: 'main' });
    return cmd.data;
  }

  it('reviews a Horizon PR when it opens, posts one review and a check run, revises once, and not twice', async () => {
    const request = createRequest({ title: 'Invoice totals' });
    await stack.publish(apiWorkItemCreate, request);
    await stack.waitForState(request.workItemId, 'in_review');
    const implement = stack.standIn.provisionsFor(request.workItemId)[0]!.data;
    const first = '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6'; // what the stand-in's implement run pushed
    held.add(request.workItemId);

    const opened = pullRequestEvent({
      action: 'opened',
      branch: implement.branch,
      number: 71,
      headSha: first,
    });
    await stack.publish(githubPullRequest, opened);
    // The same delivery again, and the same head under another delivery: still one review.
    await stack.publish(githubPullRequest, opened);
    await stack.publish(githubPullRequest, {
      ...opened,
      delivery: { ...opened.delivery, deliveryId: randomUUID() },
    });
    const review = await reviewOf(71, first, implement.branch);
    await finish(review, { review: changes });

    const revise = await until(() => stack.standIn.provisionsFor(request.workItemId)[1], 'the self-revision');
    expect(revise.data.branch).toBe(implement.branch);
    expect(revise.data.prompt).toContain('Totals are computed in floats.');
    expect(revise.data.prompt).toContain('src/totals.ts:3: Use integer cents.');
    await stack.waitForState(request.workItemId, 'revising');
    await stack.waitForState(review.workItemId, 'done');

    const posted = stack.notifications.filter((n) => n.data.target.runId === review.runId);
    expect(posted.map((n) => n.data.dedupeKey).sort()).toEqual([
      `review-check:${review.runId}`,
      `review:${review.runId}`,
    ]);
    const pr = posted.find((n) => n.data.review)!.data;
    // The bot opened the PR: GitHub refuses REQUEST_CHANGES from its author, so the verdict is in the body.
    expect(pr).toMatchObject({
      channel: 'github',
      target: { forge: 'github', repo: 'acme/billing', number: '71' },
      review: {
        commitId: first,
        event: 'COMMENT',
        comments: [
          {
            path: 'src/totals.ts',
            line: 3,
            body: 'Use integer cents.\n\n```suggestion\nreturn Math.round(a * 100);\n```',
          },
        ],
      },
    });
    expect(pr.body).toContain('changes requested (1 inline comment)');
    expect(posted.find((n) => n.data.checkRun)!.data).toMatchObject({
      title: 'Horizon review',
      checkRun: { headSha: first, conclusion: 'failure' },
    });

    // The revision pushes a new head; the PR's synchronize asks for a second review.
    const second = 'b'.repeat(40);
    await finish(revise.data, { branch: implement.branch, commitSha: second });
    await stack.waitForState(request.workItemId, 'in_review');
    await stack.publish(
      githubPullRequest,
      pullRequestEvent({ action: 'synchronize', branch: implement.branch, number: 71, headSha: second }),
    );
    const again = await reviewOf(71, second, implement.branch);
    await finish(again, { review: { ...changes, summary: 'Still floats.' } });
    await stack.waitForState(again.workItemId, 'done');

    expect(stack.standIn.provisionsFor(request.workItemId)).toHaveLength(2);
    expect((await stack.item(request.workItemId)).state).toBe('in_review');
    const audit = await stack.query<{ action: string; cause: string }>(
      `SELECT action, cause FROM "AuditEvent" WHERE "workItemId" = $1 AND action = 'self_revision'`,
      [request.workItemId],
    );
    expect(audit).toEqual([
      { action: 'self_revision', cause: 'the agent review requested changes (self-revision 1 of 1)' },
    ]);
    const done = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'done'`,
      [again.workItemId],
    );
    expect(done[0]!.cause).toMatch(/review\.selfRevisions \(1\) spent/);
  });

  it('reviews people’s PRs only once the repository opts in, with their verdict as the review event', async () => {
    const headSha = 'c'.repeat(40);
    const human = () =>
      pullRequestEvent({
        action: 'opened',
        branch: 'octocat/discounts',
        number: 72,
        headSha,
        author: 'octocat',
      });
    // The PR's event is taken before the opt-in arrives: the two come on different consumers.
    const early = await stack.publish(githubPullRequest, human());
    await until(
      async () =>
        (await stack.query('SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = $1', [early.id])).length >
        0,
      "the person's PR event, before the opt-in",
    );
    await stack.publish(sandboxSnapshotBuilt, {
      repo: 'acme/billing',
      flavour: 'implement',
      commit: 'd'.repeat(40),
      snapshotId: 'snap-1',
      removed: [],
      review: { enabled: true, humanPullRequests: true, selfRevisions: 1 },
    });
    await until(
      async () =>
        (await stack.query(`SELECT 1 FROM "RepoReviewSettings" WHERE repo = 'acme/billing'`)).length > 0,
      'the review settings',
    );
    expect(stack.standIn.provisionsFor(reviewItemId('acme/billing', 72, headSha))).toEqual([]);

    await stack.publish(githubPullRequest, human());
    const review = await reviewOf(72, headSha, 'octocat/discounts');
    await finish(review, { review: changes });
    await stack.waitForState(review.workItemId, 'done');
    const pr = await until(
      () => stack.notifications.find((n) => n.data.target.runId === review.runId && n.data.review),
      'the posted review',
    );
    expect(pr.data.review!.event).toBe('REQUEST_CHANGES');
    expect(await stack.query(`SELECT kind::text FROM "WorkItem" WHERE id = $1`, [review.workItemId])).toEqual(
      [{ kind: 'review' }],
    );
  });

  it('reviews no PR of a repository whose config turns the agent review off', async () => {
    const headSha = 'f'.repeat(40);
    const quiet = pullRequestEvent({ action: 'opened', branch: 'horizon/quiet-pr', number: 74, headSha });
    quiet.repository = { ...quiet.repository!, name: 'quiet', fullName: 'acme/quiet' };
    await stack.publish(sandboxSnapshotBuilt, {
      repo: 'acme/quiet',
      flavour: 'implement',
      commit: 'd'.repeat(40),
      snapshotId: 'snap-quiet',
      removed: [],
      review: { enabled: false, humanPullRequests: true, selfRevisions: 1 },
    });
    await until(
      async () =>
        (await stack.query(`SELECT 1 FROM "RepoReviewSettings" WHERE repo = 'acme/quiet' AND NOT enabled`))
          .length > 0,
      'the review settings',
    );

    const opened = await stack.publish(githubPullRequest, quiet);

    await until(
      async () =>
        // `until` takes 0 for an answer: the probe says false until the row is there.
        (await stack.query(`SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = $1`, [opened.id])).length >
        0,
      'the pull request event handled',
    );
    expect(stack.standIn.provisionsFor(reviewItemId('acme/quiet', 74, headSha))).toEqual([]);
    expect(
      await stack.query(`SELECT 1 FROM "WorkItem" WHERE kind = 'review' AND repo = 'acme/quiet'`),
    ).toEqual([]);
  });

  it('fails a review run that gave no structured review', async () => {
    const headSha = 'e'.repeat(40);
    await stack.publish(
      githubPullRequest,
      pullRequestEvent({ action: 'opened', branch: 'horizon/unknown-pr', number: 73, headSha }),
    );
    const review = await reviewOf(73, headSha, 'horizon/unknown-pr');
    await finish(review, {});
    await stack.waitForState(review.workItemId, 'failed');
  });
});
