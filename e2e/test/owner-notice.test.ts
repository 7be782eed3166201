import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { parseConfig } from '@horizon/config';
import {
  envelopeFor,
  identityLink,
  runFinished,
  SourceRefs,
  workItemCreated,
  workItemStateChanged,
} from '@horizon/contracts';
import type { WorkItemState } from '@horizon/contracts';
import {
  IdentityBrokerModule,
  identityBrokerConfigShape as brokerConfigShape,
} from '@horizon/identity-broker';
import { JetStreamConnection, Publisher, RpcClient } from '@horizon/messaging';
import { SlackStandin, startSlackStandin, until } from '@horizon/testing';
import { NotifierModule, notifierConfigShape as configShape } from '@horizon/notifier';
import { ServicesUnderTest } from './support/services';

/**
 * "Owner told in Slack": the notifier and identity-broker modules in-process over real Postgres
 * and JetStream, Slack played by the stand-in through the real `@slack/web-api` client.
 */
describe('notifier tells the owner in Slack what happened without them', () => {
  let services: ServicesUnderTest;
  let slack: SlackStandin;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let rpc: RpcClient;

  beforeAll(async () => {
    [slack, services] = await Promise.all([
      startSlackStandin(),
      ServicesUnderTest.start('owner-notice-test'),
    ]);
    await services.boot('identity-broker', (port, env) =>
      IdentityBrokerModule.register(parseConfig(brokerConfigShape, { ...env, IDENTITY_BROKER_PORT: port })),
    );
    await services.boot('notifier', (port, env) =>
      NotifierModule.register(
        parseConfig(configShape, {
          ...env,
          NOTIFIER_PORT: port,
          SLACK_BOT_TOKEN: slack.token,
          SLACK_API_URL: slack.url,
        }),
      ),
    );
    ({ conn, publisher } = services);
    rpc = new RpcClient(conn, 'owner-notice-test');
  });

  afterAll(async () => {
    await services?.stop();
    await slack?.close();
  });

  /** A person with a Slack account linked to their Horizon identity. */
  async function slackPerson(name: string) {
    const slackUser = slack.addUser();
    const { identity } = await rpc.call(identityLink, {
      displayName: name,
      provider: 'slack',
      externalId: slackUser,
    });
    return { slackUser, identityId: identity.id };
  }

  async function workItem(title: string, ownerId: string | null, sourceRefs: SourceRefs = {}) {
    const workItemId = randomUUID();
    await publisher.publish(
      envelopeFor(
        workItemCreated,
        { workItemId, kind: 'implement', state: 'received', repo: 'acme/app', title, ownerId, sourceRefs },
        { source: 'orchestrator' },
      ),
    );
    return workItemId;
  }

  const moved = (
    workItemId: string,
    from: WorkItemState,
    to: WorkItemState,
    cause: string,
    sourceRefs: SourceRefs = {},
  ) =>
    envelopeFor(
      workItemStateChanged,
      { workItemId, from, to, cause, runId: null, sourceRefs },
      { source: 'orchestrator' },
    );

  async function drained() {
    const stream = conn.naming.stream('EVT');
    const lastSeq = (await conn.jsm.streams.info(stream)).state.last_seq;
    await until(async () => {
      const info = await conn.jsm.consumers.info(stream, 'notifier-events');
      return info.ack_floor.stream_seq >= lastSeq && info.num_ack_pending === 0;
    }, 'the events consumer to drain');
  }

  it('DMs the owner once when the last blocker merged, even when the item reports to a Slack thread', async () => {
    const ada = await slackPerson('Ada');
    const channel = slack.addChannel();
    const threadTs = slack.addUserMessage(channel, '<@U0HORIZON> plan billing');
    const sourceRefs: SourceRefs = { slackThread: { teamId: 'T1', channel, threadTs } };
    const blocker = await workItem('Add the data model', ada.identityId, sourceRefs);
    const item = await workItem('Expose the API', ada.identityId, sourceRefs);
    await publisher.publish(moved(item, 'received', 'blocked', `waiting on ${blocker}`, sourceRefs));
    const started = moved(
      item,
      'blocked',
      'queued',
      `blocker ${blocker} merged; the PM agent's issues start by themselves`,
      sourceRefs,
    );
    const wire = conn.naming.subject(started.subject);
    const bytes = new TextEncoder().encode(JSON.stringify(started));
    // Two stream messages carrying one state change: JetStream's de-duplication does not hide the second.
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${started.id}-a`);
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${started.id}-b`);

    await until(() => slack.directMessages(ada.slackUser).length > 0, 'the DM to the owner');
    await drained();
    expect(slack.directMessages(ada.slackUser).map((m) => m.text)).toEqual([
      ':arrow_forward: *Expose the API* started by itself: its last blocker, *Add the data model*, merged.\nUpdates follow in its thread.',
    ]);
    // The thread keeps its one status message per item, edited in place; nothing else is posted there.
    const status = slack.thread(channel, threadTs).filter((m) => m.bot_id);
    expect(status).toHaveLength(2);
    await until(
      () => status.some((m) => m.history.some((t) => t.includes('*queued*'))),
      'the status message to show queued',
    );
  });

  it('does not DM for a start a person made, nor an owner with no Slack account', async () => {
    const grace = await slackPerson('Grace');
    const { identity: noSlack } = await rpc.call(identityLink, {
      displayName: 'Linus',
      provider: 'github',
      externalId: String(Math.floor(Math.random() * 1e9)),
      login: `linus-${randomUUID().slice(0, 6)}`,
    });
    const before = slack.calls.length;
    const byHand = await workItem('Started by hand', grace.identityId);
    const unlinked = await workItem('Owner without Slack', noSlack.id);
    await publisher.publish(moved(byHand, 'planned', 'queued', 'started through the API'));
    await publisher.publish(
      moved(unlinked, 'blocked', 'queued', `blocker ${randomUUID()} merged; auto-start`),
    );
    await drained();
    expect(slack.directMessages(grace.slackUser)).toEqual([]);
    const dms = slack.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && /^[UWD]/.test(String(c.args.channel)));
    expect(dms).toEqual([]);
  });

  it('DMs the owner when a run on their PR ends without pushing, and not when it pushed', async () => {
    const ada = await slackPerson('Ada');
    // On the local forge, which this notifier has no token for: the PR comment is refused, and
    // the owner is told all the same.
    const pullRequest = {
      provider: 'local' as const,
      repo: { forge: 'local' as const, owner: 'acme', name: 'app' },
      number: 17,
      url: 'http://127.0.0.1:8060/acme/app/pulls/17',
      branch: 'horizon/menu',
    };
    const item = await workItem('Restyle the menu', ada.identityId, { pullRequest });
    const finished = (outcome: 'succeeded' | 'failed', reason: string | null) =>
      envelopeFor(
        runFinished,
        {
          runId: randomUUID(),
          workItemId: item,
          outcome,
          reason,
          usage: { inputTokens: 10, outputTokens: 5, costUsd: 0 },
          durationMs: 1200,
          branch: outcome === 'succeeded' ? pullRequest.branch : null,
          commitSha: outcome === 'succeeded' ? 'a'.repeat(40) : null,
          verification: [],
          frictionNotes: [],
          summary: null,
        },
        { source: 'sandbox-manager' },
      );
    await publisher.publish(finished('succeeded', null));
    const conflict = finished('failed', 'conflict markers left in src/menu.js');
    const wire = conn.naming.subject(conflict.subject);
    const bytes = new TextEncoder().encode(JSON.stringify(conflict));
    // Two stream messages carrying one run's end: the second finds the DM sent.
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${conflict.id}-a`);
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${conflict.id}-b`);
    await until(() => slack.directMessages(ada.slackUser).length > 0, 'the DM to the owner');
    // The PR comments keep being retried (this notifier reaches no forge): wait until every
    // message was handed to the notifier at least once instead of for the stream to drain.
    const stream = conn.naming.stream('EVT');
    const lastSeq = (await conn.jsm.streams.info(stream)).state.last_seq;
    await until(
      async () => (await conn.jsm.consumers.info(stream, 'notifier-events')).delivered.stream_seq >= lastSeq,
      'both copies handed to the notifier',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.directMessages(ada.slackUser).map((m) => m.text)).toEqual([
      ":raised_hand: *Restyle the menu* needs you: Horizon's run on acme/app <http://127.0.0.1:8060/acme/app/pulls/17|#17> ended failed: conflict markers left in src/menu.js. Nothing was pushed; the pull request is yours to take from here.",
    ]);
  });
});
