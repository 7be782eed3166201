import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import {
  DataOf,
  envelopeFor,
  forgeOpenPullRequest,
  notifyDeliver,
  reviewCommentBody,
  ForgeOpenPullRequestData,
  githubPullRequest,
  runFinished,
  workItemCreated,
  workItemStateChanged,
} from '@horizon/contracts';
import { LocalForgeClient, localForgeTokenFile } from '@horizon/local-forge-client';
import { ForgeUnderTest, gitIn, sampleRepository, startForge } from '@horizon/testing';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import { freePort, until } from '@horizon/testing';
import { NotifierModule } from '../src/app.module';
import { configShape } from '../src/config';
import { LOCAL_BOT_LOGIN } from '../src/application/pull-requests/local-access';
import { pullRequestDeliveryKey } from '../src/application/pull-requests/pull-request-delivery';

/**
 * The embedded default: the real forge module and the notifier module in-process on one database
 * and stream prefix; the notifier finds the forge's token in the file the forge keeps.
 */
describe('notifier opens runs’ pull requests on the local forge', () => {
  let forge: ForgeUnderTest;
  let notifier: INestApplication;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let api: LocalForgeClient;
  let source: string;
  let work: string;
  let clone: string;
  let firstCommit: string;
  const head = `horizon/${randomUUID().slice(0, 8)}-tidy`;

  beforeAll(async () => {
    forge = await startForge();
    source = sampleRepository();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-local-'));
    api = new LocalForgeClient({ baseUrl: forge.url, token: forge.token });
    await api.createRepository({ owner: 'acme', name: 'widgets', from: source });
    await gitIn(work, [
      'clone',
      '-q',
      `http://x-access-token:${forge.token}@127.0.0.1:${forge.port}/acme/widgets.git`,
      'w',
    ]);
    clone = path.join(work, 'w');
    await gitIn(clone, ['checkout', '-q', '-b', head]);
    fs.writeFileSync(path.join(clone, 'widget.ts'), 'export const widget = 1;\n');
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'tidy']);
    await gitIn(clone, ['push', '-q', 'origin', head]);
    firstCommit = await gitIn(clone, ['rev-parse', 'HEAD']);
    // As the forge leaves it when FORGE_TOKEN is unset; the notifier is given no token.
    fs.writeFileSync(localForgeTokenFile(forge.dataDir), `${forge.token}\n`, { mode: 0o600 });

    const port = await freePort();
    const { FORGE_TOKEN: _forgeOwn, ...shared } = forge.env;
    const config = parseConfig(configShape, { ...shared, NOTIFIER_PORT: String(port), FORGE_URL: forge.url });
    notifier = await startService({ name: 'notifier', module: NotifierModule.register(config), port });
    conn = await JetStreamConnection.connect({
      natsUrl: forge.env.NATS_URL!,
      prefix: forge.env.HZN_STREAM_PREFIX!,
      name: 'notifier-local-test',
    });
    publisher = new Publisher(conn);
  });

  afterAll(async () => {
    await notifier?.close();
    await conn?.close();
    await forge?.close();
    for (const dir of [source, work]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const data: Omit<ForgeOpenPullRequestData, 'commitSha'> = {
    workItemId: randomUUID(),
    runId: randomUUID(),
    repo: 'acme/widgets',
    forge: 'local',
    head,
    base: 'main',
    title: 'Tidy the widgets',
    body: 'Adds `widget`.',
    verification: [{ command: 'npm test', exitCode: 0, durationMs: 4200 }],
    ownerId: null,
  };
  const send = () =>
    publisher.publish(
      envelopeFor(forgeOpenPullRequest, { ...data, commitSha: firstCommit }, { source: 'orchestrator' }),
    );
  const checkRuns = async (sha: string) =>
    (
      await forge.db.pool.query<{ name: string; conclusion: string; summary: string }>(
        `SELECT name, conclusion, summary FROM "ForgeCheckRun" WHERE "headSha" = $1 ORDER BY id`,
        [sha],
      )
    ).rows;
  const pullsForHead = async () =>
    (await api.listPulls('acme', 'widgets', 'all')).filter((p) => p.headRef === head);

  async function forgeQueueDrained(): Promise<void> {
    await until(async () => {
      const info = await conn.jsm.consumers.info(conn.naming.stream('CMD'), 'notifier-forge');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'the notifier to settle its forge commands');
  }

  async function deliveryRecord() {
    const { rows } = await forge.db.pool.query<{ status: string; externalId: string | null }>(
      `SELECT "status", "externalId" FROM notifier."NotificationDelivery" WHERE "dedupeKey" = $1`,
      [pullRequestDeliveryKey(data.workItemId, head)],
    );
    return rows[0];
  }

  it('opens the PR as horizon[bot] naming the owner, and the forge emits pull_request opened', async () => {
    await send();
    const [pr] = await until(async () => {
      const pulls = await pullsForHead();
      return pulls.length > 0 && pulls;
    }, 'the pull request');
    expect(pr).toMatchObject({ baseRef: 'main', state: 'open', author: LOCAL_BOT_LOGIN, title: data.title });
    expect(pr!.body).toContain('Adds `widget`.');
    expect(pr!.body).toContain('**Owner:** no recorded owner');
    expect(pr!.body).toContain('### Verification');

    const opened = await until(async () => {
      const messages = await forge.ingressMessages();
      return messages.find(
        (m) =>
          m.subject.endsWith(githubPullRequest.subject) &&
          githubPullRequest.data.parse(m.envelope.data).pullRequest.headRef === head,
      );
    }, 'pull_request opened on the ingress stream');
    const event = githubPullRequest.data.parse(opened.envelope.data);
    expect(event).toMatchObject({
      action: 'opened',
      repository: { fullName: 'acme/widgets' },
      sender: { login: LOCAL_BOT_LOGIN, type: 'Bot' },
      pullRequest: { number: pr!.number },
    });

    const record = await until(async () => {
      const row = await deliveryRecord();
      return row?.status === 'delivered' && row;
    }, 'the delivery record');
    expect(record.externalId).toBe(`${forge.url}/acme/widgets/pull/${pr!.number}`);

    // The pushed commit's verification, as a check run the reviewer sees on the PR.
    const [check] = await until(async () => {
      const runs = await checkRuns(firstCommit);
      return runs.length > 0 && runs;
    }, 'the check run');
    expect(check).toMatchObject({ name: 'Horizon verification', conclusion: 'success' });
    expect(check!.summary).toContain('npm test');
  });

  // 2 s alone, but it ran past 30 s once in a full run (with the console's browser test beside
  // it): it gets 90 s, its wait for the comment 75 s.
  it('a revise run pushed to the open PR: a comment on the PR and a check run on the new commit', async () => {
    const [pr] = await pullsForHead();
    fs.writeFileSync(path.join(clone, 'widget.ts'), 'export const widget = 2;\n');
    await gitIn(clone, ['commit', '-q', '-am', 'widget is 2']);
    await gitIn(clone, ['push', '-q', 'origin', head]);
    const revised = await gitIn(clone, ['rev-parse', 'HEAD']);
    // What the orchestrator tells the notifier about the item: it came in, its PR is open.
    const sourceRefs = {
      pullRequest: {
        provider: 'local' as const,
        repo: { forge: 'local' as const, owner: 'acme', name: 'widgets' },
        number: pr!.number,
        url: `${forge.url}/acme/widgets/pull/${pr!.number}`,
        branch: head,
      },
    };
    await publisher.publish(
      envelopeFor(
        workItemCreated,
        {
          workItemId: data.workItemId,
          kind: 'implement',
          state: 'received',
          repo: 'acme/widgets',
          title: data.title,
          ownerId: null,
          sourceRefs: {},
        },
        { source: 'orchestrator' },
      ),
    );
    await publisher.publish(
      envelopeFor(
        workItemStateChanged,
        {
          workItemId: data.workItemId,
          from: 'in_review',
          to: 'revising',
          cause: 'changes requested',
          runId: null,
          sourceRefs,
        },
        { source: 'orchestrator' },
      ),
    );
    // The orchestrator emits the move to revising long before the run ends; published back to
    // back here, the notifier (several events at once) could read the run's end first, before
    // the item's route names its PR. Wait until it has handled both, as the real order gives.
    const events = conn.naming.stream('EVT');
    const published = (await conn.jsm.streams.info(events)).state.last_seq;
    await until(async () => {
      const info = await conn.jsm.consumers.info(events, 'notifier-events');
      return info.ack_floor.stream_seq >= published && info.num_ack_pending === 0;
    }, 'the notifier to handle the move to revising');
    const reviseRun = randomUUID();
    const finished = envelopeFor(
      runFinished,
      {
        runId: reviseRun,
        workItemId: data.workItemId,
        outcome: 'succeeded',
        reason: null,
        usage: null,
        durationMs: 9_000,
        branch: head,
        commitSha: revised,
        verification: [{ command: 'npm test', exitCode: 1, durationMs: 800 }],
        frictionNotes: [],
        summary: 'Widget is 2 now, as the review asked.',
      },
      { source: 'sandbox-manager' },
    );
    await publisher.publish(finished);
    const comment = await until(
      async () => {
        const comments = await api.comments('acme', 'widgets', pr!.number);
        return comments.find((c) => c.body.includes('Horizon revised this pull request'));
      },
      'the revise comment',
      75_000,
    );
    expect(comment.body).toContain(`Pushed \`${revised.slice(0, 7)}\``);
    expect(comment.body).toContain('Widget is 2 now, as the review asked.');
    expect(comment.body).toContain('Verification: 0/1 passed');
    const [check] = await until(async () => {
      const runs = await checkRuns(revised);
      return runs.length > 0 && runs;
    }, 'the revised commit’s check run');
    expect(check).toMatchObject({ name: 'Horizon verification', conclusion: 'failure' });

    // The same event again posts nothing more.
    await publisher.publish(finished);
    await new Promise((r) => setTimeout(r, 1500));
    const again = await api.comments('acme', 'widgets', pr!.number);
    expect(again.filter((c) => c.body.includes('Horizon revised this pull request'))).toHaveLength(1);
    expect(await checkRuns(revised)).toHaveLength(1);
  }, 90_000);

  it('an agent review: one PR review with inline comments and a Horizon review check run; a line outside the diff is refused', async () => {
    const [pr] = await pullsForHead();
    const reviewRun = randomUUID();
    const target = { forge: 'local', repo: 'acme/widgets', runId: reviewRun };
    const deliver = (dedupeKey: string, extra: Partial<DataOf<typeof notifyDeliver>>) =>
      publisher.publish(
        envelopeFor(
          notifyDeliver,
          { channel: 'github', target, dedupeKey, title: 'Horizon review', body: '', ...extra },
          { source: 'orchestrator' },
        ),
      );
    const comment = (line: number) => ({
      path: 'widget.ts',
      line,
      body: reviewCommentBody({
        path: 'widget.ts',
        line,
        body: 'Name the constant.',
        suggestion: 'export const WIDGET = 2;',
      }),
    });
    // The PR is horizon[bot]'s own: its verdict goes in the body, the event is COMMENT.
    await deliver(`review:${reviewRun}`, {
      target: { ...target, number: String(pr!.number) },
      body: '**Horizon review: changes requested (1 inline comment)**\n\nName things.',
      review: { commitId: pr!.headSha, event: 'COMMENT', comments: [comment(1)] },
    });
    await deliver(`review-check:${reviewRun}`, {
      body: 'changes requested: Name things.',
      checkRun: { headSha: pr!.headSha, results: [], conclusion: 'failure' },
    });
    const [review] = await until(async () => {
      const reviews = await api.reviews('acme', 'widgets', pr!.number);
      return reviews.length > 0 && reviews;
    }, 'the agent review');
    expect(review).toMatchObject({ author: LOCAL_BOT_LOGIN, state: 'commented', commitSha: pr!.headSha });
    expect(await api.reviewComments('acme', 'widgets', pr!.number, review!.id)).toMatchObject([
      {
        path: 'widget.ts',
        line: 1,
        body: 'Name the constant.\n\n```suggestion\nexport const WIDGET = 2;\n```',
      },
    ]);
    const check = await until(
      async () => (await checkRuns(pr!.headSha)).find((c) => c.name === 'Horizon review'),
      'the Horizon review check run',
    );
    expect(check).toMatchObject({ conclusion: 'failure', summary: 'changes requested: Name things.' });

    // Line 7 is not in the diff: GitHub answers 422, so does the local forge, and nothing is retried.
    const refused = `review:${randomUUID()}`;
    await deliver(refused, {
      target: { ...target, number: String(pr!.number) },
      body: 'Another look.',
      review: { commitId: pr!.headSha, event: 'COMMENT', comments: [comment(7)] },
    });
    const failed = await until(async () => {
      const { rows } = await forge.db.pool.query<{ status: string; lastError: string }>(
        `SELECT "status", "lastError" FROM notifier."NotificationDelivery" WHERE "dedupeKey" = $1`,
        [refused],
      );
      return rows[0]?.status === 'failed' && rows[0];
    }, 'the refused review');
    expect(failed.lastError).toContain('Line could not be resolved: widget.ts:7 is not part of the diff');
    expect(await api.reviews('acme', 'widgets', pr!.number)).toHaveLength(1);
  });

  it('a redelivered command opens no second PR, with or without the delivery record', async () => {
    await send();
    await forgeQueueDrained();
    expect(await pullsForHead()).toHaveLength(1);

    // As after a crash between the forge's answer and the record: the open PR is found instead.
    await forge.db.pool.query(`DELETE FROM notifier."NotificationDelivery" WHERE "dedupeKey" = $1`, [
      pullRequestDeliveryKey(data.workItemId, head),
    ]);
    await send();
    await until(async () => (await deliveryRecord())?.status === 'delivered', 'the record rewritten');
    await forgeQueueDrained();
    expect(await pullsForHead()).toHaveLength(1);
  });
});
