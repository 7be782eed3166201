import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCancel,
  apiWorkItemCreate,
  githubPullRequest,
  githubPullRequestReview,
  slackAppMention,
  slackThreadMessage,
} from '@horizon/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { OrchestratorStack, until } from './harness';
import {
  cancelRequest,
  changesRequested,
  createRequest,
  pullRequestClosed,
  slackMention,
} from '@horizon/testing';

describe('orchestrator over real Postgres and JetStream: chains, merges, revisions, cancels', () => {
  let stack: OrchestratorStack;
  let prNumber = 100;

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function create(
    title: string,
    opts: { blockedBy?: string[]; autoStart?: boolean } = {},
  ): Promise<string> {
    const data = createRequest({ title, ...opts });
    await stack.publish(apiWorkItemCreate, data);
    await until(() => stack.item(data.workItemId), `${title} to be recorded`);
    return data.workItemId;
  }

  /** Waits until the item's PR is open (the stand-in succeeded), returning its branch. */
  async function inReview(id: string): Promise<string> {
    await stack.waitForState(id, 'in_review');
    return (await stack.item(id)).branch as string;
  }

  async function merge(id: string) {
    const branch = (await stack.item(id)).branch as string;
    return stack.publish(githubPullRequest, pullRequestClosed({ branch, number: prNumber++, merged: true }));
  }

  it('chain A→B→C: merging A starts B at once and leaves C blocked', async () => {
    const a = await create('Schema');
    const b = await create('API', { blockedBy: [a] });
    const c = await create('Worker', { blockedBy: [b] });
    await inReview(a);
    expect((await stack.item(b)).state).toBe('blocked');
    expect((await stack.item(c)).state).toBe('blocked');
    expect(stack.standIn.provisionsFor(b)).toHaveLength(0);

    await merge(a);
    await until(() => stack.standIn.provisionsFor(b).length === 1, 'B provision command');
    expect((await stack.item(a)).state).toBe('done');
    expect(await stack.transitionsOf(a)).toEqual([
      'received→queued',
      'queued→provisioning',
      'provisioning→running',
      'running→in_review',
      'in_review→merged',
      'merged→done',
    ]);
    const provision = stack.standIn.provisionsFor(b)[0]!.data;
    expect(provision.branch).toMatch(new RegExp(`^horizon/${b.slice(0, 8)}-api$`));
    expect(provision.flavour).toBe('implement');
    expect(provision.prompt).toContain('API');
    await inReview(b);
    expect((await stack.item(c)).state).toBe('blocked');
    expect(stack.standIn.provisionsFor(c)).toHaveLength(0);

    const [runA] = await stack.runsOf(a);
    expect(runA).toMatchObject({ attempt: 1, outcome: 'succeeded', inputTokens: 1200 });
  });

  it('diamond: the join starts only once both of its blockers merged', async () => {
    const a = await create('Diamond top');
    const b = await create('Diamond left', { blockedBy: [a] });
    const c = await create('Diamond right', { blockedBy: [a] });
    const d = await create('Diamond join', { blockedBy: [b, c] });
    await inReview(a);
    await merge(a);
    await Promise.all([inReview(b), inReview(c)]);
    expect((await stack.item(d)).state).toBe('blocked');

    await merge(b);
    await stack.waitForState(b, 'done');
    expect((await stack.item(d)).state).toBe('blocked');
    expect(stack.standIn.provisionsFor(d)).toHaveLength(0);

    await merge(c);
    await until(() => stack.standIn.provisionsFor(d).length === 1, 'D provision command');
    await inReview(d);
  });

  it('a merge delivered twice (redelivered envelope, and the same GitHub delivery re-published) starts B once and asks for one snapshot refresh', async () => {
    const a = await create('Twice merged');
    const b = await create('Twice dependent', { blockedBy: [a] });
    const branch = await inReview(a);
    const data = pullRequestClosed({
      branch,
      number: prNumber++,
      merged: true,
      deliveryId: `gh-${randomUUID()}`,
    });
    const first = await stack.publish(githubPullRequest, data);
    // The same envelope delivered again (as after a lost ack): stored under another Nats-Msg-Id so JetStream keeps it.
    await stack.publisher.publishRaw(
      stack.connection.naming.subject(first.subject),
      new TextEncoder().encode(JSON.stringify(first)),
      natsHeaders(),
      `redelivery-${first.id}`,
    );
    // The sender retried the webhook: ingress made a new envelope of the same delivery.
    const again = await stack.publish(githubPullRequest, data);
    const refreshes = () =>
      stack.standIn.refreshes.filter((r) => [first.id, again.id].includes(r.causationId ?? ''));

    await until(() => stack.standIn.provisionsFor(b).length === 1, 'B provision command');
    // The merge asks sandbox-manager to rebuild the repository's snapshots if setup inputs changed.
    await until(() => refreshes().length > 0, 'the snapshot refresh command');
    await inReview(b);
    await until(async () => {
      const info = await stack.connection.jsm.consumers.info(
        stack.connection.naming.stream('INGRESS'),
        'orchestrator-ingress',
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'all three deliveries handled');
    // Applied once: the copies were recognised by the inbox before anything looked at A again.
    expect(
      await stack.query(`SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND action = 'ignored'`, [a]),
    ).toEqual([]);
    expect(stack.standIn.provisionsFor(b)).toHaveLength(1);
    expect((await stack.transitionsOf(b)).filter((t) => t === 'blocked→queued')).toHaveLength(1);
    expect((await stack.transitionsOf(a)).filter((t) => t === 'in_review→merged')).toHaveLength(1);
    expect(await stack.runsOf(b)).toHaveLength(1);
    expect(refreshes().map((r) => r.data)).toEqual([
      { repo: 'acme/billing', flavours: ['implement', 'plan'], when: 'setup_changed' },
    ]);
  });

  it('refuses a dependency that closes a cycle, naming it, and fails an item that blocks itself', async () => {
    const a = await create('Cycle A', { autoStart: false });
    const b = await create('Cycle B', { blockedBy: [a] });
    const c = await create('Cycle C', { blockedBy: [b] });
    await stack.waitForState(c, 'blocked');
    await stack.publish(
      apiWorkItemCreate,
      createRequest({ id: a, title: 'Cycle A', blockedBy: [c], autoStart: false }),
    );
    const refusal = await until(
      async () =>
        (
          await stack.query<{ cause: string }>(
            `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND action = 'dependency_refused'`,
            [a],
          )
        )[0],
      'the refusal',
    );
    expect(refusal.cause).toBe(
      'Dependency refused: it would close the cycle Cycle A → Cycle B → Cycle C → Cycle A',
    );
    expect((await stack.item(a)).state).toBe('planned');
    expect(await stack.query('SELECT 1 FROM "WorkItemDependency" WHERE "blockedId" = $1', [a])).toHaveLength(
      0,
    );

    const self = randomUUID();
    await stack.publish(
      apiWorkItemCreate,
      createRequest({ id: self, title: 'Ouroboros', blockedBy: [self] }),
    );
    await stack.waitForState(self, 'failed');
    const [failure] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'failed'`,
      [self],
    );
    expect(failure!.cause).toBe('Dependency refused: it would close the cycle Ouroboros → Ouroboros');
  });

  it('fails an item whose blocker does not exist, saying which', async () => {
    const ghost = randomUUID();
    const id = await create('Orphan', { blockedBy: [ghost] });
    await stack.waitForState(id, 'failed');
    const [failure] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'failed'`,
      [id],
    );
    expect(failure!.cause).toBe(`unknown blocker(s): ${ghost}`);
  });

  it('changes requested on the PR start a revise run on the same branch, carrying the review', async () => {
    const id = await create('Revisable');
    const branch = await inReview(id);
    const number = prNumber++;
    await stack.publish(
      githubPullRequestReview,
      changesRequested({ branch, number, body: 'Please round totals to cents.' }),
    );
    await until(() => stack.standIn.provisionsFor(id).length === 2, 'the revise provision command');
    const revise = stack.standIn.provisionsFor(id)[1]!.data;
    expect(revise.branch).toBe(branch);
    expect(revise.prompt).toBe('Please round totals to cents.');
    await until(
      async () => (await stack.transitionsOf(id)).includes('revising→in_review'),
      'the revise run to end',
    );
    expect((await stack.item(id)).state).toBe('in_review');
    expect((await stack.item(id)).sourceRefs.pullRequest).toMatchObject({ number, branch });
    const runs = await stack.runsOf(id);
    expect(runs.map((r) => [r.attempt, r.branch, r.outcome])).toEqual([
      [1, branch, 'succeeded'],
      [2, branch, 'succeeded'],
    ]);
  });

  it('a cancel mid-run sends sandboxCancel to its sandbox and ends the run cancelled', async () => {
    const data = createRequest({ title: 'Cancelled midway' });
    stack.standIn.behaviour = (cmd) => (cmd.workItemId === data.workItemId ? 'hold' : 'succeed');
    await stack.publish(apiWorkItemCreate, data);
    const id = data.workItemId;
    const [provision] = await until(
      () => (stack.standIn.provisionsFor(id).length ? stack.standIn.provisionsFor(id) : null),
      'the provision command',
    );
    await stack.standIn.progress(provision!.data, 'harness');
    await stack.waitForState(id, 'running');

    await stack.publish(apiWorkItemCancel, cancelRequest(id, 'superseded by HZN-14'));
    const cancel = await until(
      () => stack.standIn.cancels.find((c) => c.data.runId === provision!.data.runId),
      'the sandboxCancel command',
    );
    expect(cancel.data).toEqual({
      sandboxId: provision!.data.sandboxId,
      runId: provision!.data.runId,
      reason: 'superseded by HZN-14',
    });
    await stack.waitForState(id, 'cancelled');
    expect((await stack.runsOf(id))[0]).toMatchObject({
      outcome: 'cancelled',
      failureReason: 'superseded by HZN-14',
    });

    // The sandbox's own late report changes nothing.
    await stack.standIn.finish(provision!.data, 'cancelled', 'stopped on request');
    await new Promise((r) => setTimeout(r, 300));
    expect((await stack.item(id)).state).toBe('cancelled');
    expect((await stack.runsOf(id))[0]!.failureReason).toBe('superseded by HZN-14');
  });

  it('a Slack mention in a channel with no repository gets told how; one naming its repo starts a run owned by the linked user', async () => {
    const mention = slackMention('<@U07HZNBOT> fix the flaky totals test');
    await stack.publish(slackAppMention, mention);
    const note = await until(
      () => stack.notifications.find((n) => n.data.target.threadTs === mention.message.threadTs),
      'the notify command',
    );
    expect(note.data.channel).toBe('slack');
    expect(note.data.body).toContain('repo:owner/name');
    expect(
      await stack.query(`SELECT 1 FROM "WorkItem" WHERE "sourceRefs"->'slackThread'->>'threadTs' = $1`, [
        mention.message.threadTs,
      ]),
    ).toHaveLength(0);

    // The mentioning Slack user is linked to a Horizon identity: the item and its run are theirs.
    const grace = await stack.linkPerson('Grace', 'slack', mention.message.user);
    const named = slackMention('<@U07HZNBOT> repo:acme/billing fix the flaky totals test');
    await stack.publish(slackAppMention, named);
    const [item] = await until(async () => {
      const rows = await stack.query<{ id: string; repo: string; ownerId: string | null }>(
        `SELECT id::text, repo, "ownerId"::text FROM "WorkItem" WHERE "sourceRefs"->'slackThread'->>'threadTs' = $1`,
        [named.message.threadTs],
      );
      return rows.length ? rows : null;
    }, 'the thread work item');
    expect(item).toMatchObject({ repo: 'acme/billing', ownerId: grace });
    await until(() => stack.standIn.provisionsFor(item!.id).length === 1, 'the thread run');
    expect(stack.standIn.provisionsFor(item!.id)[0]!.data.ownerId).toBe(grace);

    // A Slack user nobody linked leaves the item unowned (its PR is opened as the app).
    const stranger = slackMention('<@U07HZNBOT> repo:acme/billing tidy the README');
    const unlinked = { ...stranger, message: { ...stranger.message, user: 'U09NOBODY' } };
    await stack.publish(slackAppMention, unlinked);
    const [unowned] = await until(async () => {
      const rows = await stack.query<{ ownerId: string | null }>(
        `SELECT "ownerId"::text FROM "WorkItem" WHERE "sourceRefs"->'slackThread'->>'threadTs' = $1`,
        [unlinked.message.threadTs],
      );
      return rows.length ? rows : null;
    }, 'the unlinked thread work item');
    expect(unowned!.ownerId).toBeNull();
  });

  it('once its PR is open, a reply in the Slack thread asks for a revision of it', async () => {
    const mention = slackMention('<@U07HZNBOT> repo:acme/billing round the totals');
    await stack.publish(slackAppMention, mention);
    const id = await until(async () => {
      const [row] = await stack.query<{ id: string }>(
        `SELECT id::text FROM "WorkItem" WHERE "sourceRefs"->'slackThread'->>'threadTs' = $1`,
        [mention.message.threadTs],
      );
      return row?.id;
    }, 'the thread work item');
    const branch = await inReview(id);
    // Its PR is open and known to the item (a review asked for a first round, which ended).
    const number = prNumber++;
    await stack.publish(githubPullRequestReview, changesRequested({ branch, number, body: 'Use cents.' }));
    await until(
      async () => (await stack.transitionsOf(id)).includes('revising→in_review'),
      'the first revision to end',
    );

    const reply = (text: string) => ({
      ...mention,
      delivery: { ...mention.delivery, deliveryId: `slack-${randomUUID()}`, event: 'message' },
      message: { ...mention.message, text, ts: `${Number(mention.message.threadTs) + 1}.000100` },
    });
    await stack.publish(slackThreadMessage, reply('Also show the currency symbol, please'));
    await until(() => stack.standIn.provisionsFor(id).length === 3, 'the revision the reply asked for');
    const asked = stack.standIn.provisionsFor(id)[2]!.data;
    expect(asked).toMatchObject({ branch, prompt: 'Also show the currency symbol, please' });
    const [audit] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'revising' ORDER BY "createdAt" DESC LIMIT 1`,
      [id],
    );
    expect(audit!.cause).toBe(`asked in slack by ${mention.message.user} about #${number}`);
  });
});
