import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  githubCheckCompleted,
  githubIssueComment,
  githubPullRequest,
} from '@horizon/contracts';
import type { DataOf } from '@horizon/contracts';
import { createRequest } from '@horizon/testing';
import { checkCompleted, issueComment, prOpened } from '../src/domain/routing-table.fixtures';
import { OrchestratorStack, until } from './harness';

/** A fixture's data under a delivery id of its own (ingress de-duplicates by it). */
function fresh<T extends { delivery: { deliveryId: string } }>(data: T): T {
  return { ...data, delivery: { ...data.delivery, deliveryId: `github-${randomUUID()}` } };
}
const dataOf = <T>(event: { data: unknown }) => event.data as T;

/**
 * The CI station's off switch through the orchestrator over real Postgres and JetStream:
 * `@horizon stop` holds a failing check's fix run back, and removing the `horizon:no-autofix`
 * label (or `@horizon resume`) lets the next failure start one.
 */
describe('CI station: stop and resume (orchestrator)', () => {
  let stack: OrchestratorStack;

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SCHEDULER_INTERVAL_MS: '100' } });
    stack.standIn.behaviour = (cmd) => (cmd.flavour === 'review' || cmd.checkFailure ? 'hold' : 'succeed');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const audit = (workItemId: string, action: string) =>
    stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND action = $2 ORDER BY "createdAt"`,
      [workItemId, action],
    );

  it('starts no fix run while stopped, and one again once the label is removed', async () => {
    const request = createRequest({ title: 'Invoice totals' });
    await stack.publish(apiWorkItemCreate, request);
    await stack.waitForState(request.workItemId, 'in_review');
    const branch = stack.standIn.provisionsFor(request.workItemId)[0]!.data.branch;
    type PullRequestData = DataOf<typeof githubPullRequest>;
    await stack.publish(githubPullRequest, fresh(dataOf<PullRequestData>(prOpened(branch))));
    await until(async () => (await stack.item(request.workItemId)).sourceRefs?.pullRequest, 'the PR linked');

    type CommentData = DataOf<typeof githubIssueComment>;
    await stack.publish(
      githubIssueComment,
      fresh(dataOf<CommentData>(issueComment({ body: '@horizon stop' }))),
    );
    await until(async () => (await audit(request.workItemId, 'ci_fix_stopped')).length === 1, 'the stop');

    type CheckData = DataOf<typeof githubCheckCompleted>;
    const failure = () => {
      const data = dataOf<CheckData>(checkCompleted({ headBranch: branch }));
      return fresh({ ...data, check: { ...data.check, id: Math.floor(Math.random() * 1e9) } });
    };
    await stack.publish(githubCheckCompleted, failure());
    await until(
      async () => (await audit(request.workItemId, 'ignored')).some((a) => /stopped/.test(a.cause)),
      'the failure ignored while stopped',
    );
    expect(stack.standIn.provisionsFor(request.workItemId)).toHaveLength(1);

    const unlabeled: PullRequestData = {
      ...fresh(dataOf<PullRequestData>(prOpened(branch))),
      action: 'unlabeled',
      label: 'horizon:no-autofix',
    };
    await stack.publish(githubPullRequest, unlabeled);
    await until(async () => (await audit(request.workItemId, 'ci_fix_resumed')).length === 1, 'the resume');
    const resumed = await until(
      () => stack.notifications.find((n) => n.data.dedupeKey === `ci-resumed:${request.workItemId}:1`),
      'the resume said on the PR',
    );
    expect(resumed.data.body).toContain('starts a fix run again');

    await stack.publish(githubCheckCompleted, failure());
    const fix = await until(() => stack.standIn.provisionsFor(request.workItemId)[1], 'the fix run');
    expect(fix.data.checkFailure).toMatchObject({ name: 'test (20.x)', conclusion: 'failure' });
    await stack.waitForState(request.workItemId, 'revising');

    // Resuming what runs already is no news.
    await stack.publish(
      githubIssueComment,
      fresh(dataOf<CommentData>(issueComment({ body: '@horizon resume' }))),
    );
    await until(
      async () => (await audit(request.workItemId, 'ignored')).some((a) => /were not stopped/.test(a.cause)),
      'the second resume ignored',
    );
    expect(await audit(request.workItemId, 'ci_fix_resumed')).toHaveLength(1);
  });
});
