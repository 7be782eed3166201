import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DemoWorld } from '@horizon/cli';
import { createDatabase } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  createStackSandbox,
  serviceComplaints,
  startSlackStandin,
  startStack,
  until,
} from '@horizon/testing';
import type { SlackMessage, SlackStandin, StackProcess, StackSandbox } from '@horizon/testing';
import { SlackWorkspace } from './support/slack-workspace';

const SIGNING_SECRET = 'slack-e2e-signing-secret';
const TEAM = 'T0HORIZON';
const BOT_USER = 'U0HORIZON';
/** The person asking, linked to a Horizon identity with a local forge login. */
const ALICE = 'U0ALICE';
const ALICE_LOGIN = 'alice';
const CART_CHANNEL = 'C0CART';
const RANDOM_CHANNEL = 'C0RANDOM';
/** implement-subtotal.yaml in the demo's script catalog answers prompts containing this. */
const REQUEST = 'Add cart subtotal';

/**
 * Issue #8 on the whole stack as `npm start` runs it: a Slack mention becomes a run, the thread
 * shows one status message edited in place as the run moves and then the PR link with a
 * summary; the PR is the linked person's; unmapped channels are asked for a repository; a
 * replayed delivery starts nothing. Slack is the stand-in; everything else is real.
 */
describe('Slack end to end: a mention → a run → live progress and the PR link in the thread', () => {
  let slack: SlackStandin;
  let stack: StackSandbox;
  let running: StackProcess;
  let db: Database;
  let nats: JetStreamConnection;
  let forge: ForgeClient;
  let workspace: SlackWorkspace;
  let aliceIdentity: string;

  beforeAll(async () => {
    slack = await startSlackStandin();
    slack.addChannel(CART_CHANNEL);
    slack.addChannel(RANDOM_CHANNEL);
    slack.addUser(ALICE);
    stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      // About where work comes from, not browser checks (npm-start's tour and browser-verification cover those).
      BROWSER_CHECKS: 'off',
      SLACK_API_URL: slack.url,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_USER_ID: BOT_USER,
      SLACK_CHANNEL_REPOS: JSON.stringify({ [CART_CHANNEL]: 'demo/cart' }),
    });
    running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 150_000);

    db = createDatabase(stack.db.url, 2);
    nats = await JetStreamConnection.connect({
      natsUrl: stack.messaging.natsUrl,
      prefix: stack.messaging.prefix,
      name: 'slack-e2e',
    });
    const forgeUrl = `http://127.0.0.1:${stack.port('FORGE_PORT')}`;
    const ingressUrl = `http://127.0.0.1:${stack.port('INGRESS_PORT')}`;
    const forgeToken = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
    forge = new ForgeClient({ baseUrl: forgeUrl, token: forgeToken });
    await new DemoWorld(
      new RpcClient(nats, 'slack-e2e'),
      { ingress: ingressUrl, forge: forgeUrl },
      forgeToken,
    ).ensureSampleRepository();
    aliceIdentity = randomUUID();
    await db.prisma.identity.create({
      data: {
        id: aliceIdentity,
        displayName: 'Alice Example',
        links: {
          create: [
            { id: randomUUID(), provider: 'slack', externalId: ALICE },
            { id: randomUUID(), provider: 'local', externalId: ALICE_LOGIN, login: ALICE_LOGIN },
          ],
        },
      },
    });
    workspace = new SlackWorkspace(slack, {
      ingressUrl,
      signingSecret: SIGNING_SECRET,
      teamId: TEAM,
      botUserId: BOT_USER,
    });
  }, 200_000);

  afterAll(async () => {
    await running?.stop();
    await nats?.close();
    await db?.close();
    await stack?.remove();
    await slack?.close();
  }, 60_000);

  const botMessages = (channel: string, threadTs: string): SlackMessage[] =>
    slack.thread(channel, threadTs).filter((m) => m.bot_id && m.ts !== threadTs);

  /** `until`, failing with what the services complained about and what the bot said in Slack. */
  const eventually = <T>(
    what: string,
    timeoutMs: number,
    probe: () => T | null | undefined | Promise<T | null | undefined>,
  ) =>
    until(probe, what, timeoutMs, 500).catch((err: Error) => {
      const calls = slack.calls.map((c) => [c.method, c.outcome, c.args.text]);
      throw new Error(
        `${err.message}\nSlack calls: ${JSON.stringify(calls)}\n${serviceComplaints(stack.dataDir)}`,
      );
    });

  it('asks "Which repository?" in the thread of a mention in an unmapped channel, and records no work', async () => {
    const mention = await workspace.mention(RANDOM_CHANNEL, ALICE, REQUEST);
    const [question] = await eventually('the repository question', 30_000, () => {
      const replies = botMessages(RANDOM_CHANNEL, mention.ts);
      return replies.length ? replies : undefined;
    });
    expect(question!.thread_ts).toBe(mention.ts);
    expect(question!.text).toContain('Which repository?');
    expect(question!.text).toContain('repo:owner/name');
    expect(await db.prisma.workItem.count()).toBe(0);
    expect(
      await db.prisma.auditEvent.count({
        where: { action: 'ignored', cause: `no repository for Slack channel ${RANDOM_CHANNEL}` },
      }),
    ).toBe(1);
  });

  it("runs mentions to PRs: one status message updated in place, then the PR link and a summary; the PR is the linked person's; a replay starts nothing", async () => {
    const started = Date.now();
    // The channel's mapping names the repository; in the unmapped channel, the message does.
    const mapped = await workspace.mention(CART_CHANNEL, ALICE, REQUEST);
    const named = await workspace.mention(RANDOM_CHANNEL, ALICE, `${REQUEST} in repo:demo/cart`);
    const prMessage = (channel: string, threadTs: string) =>
      eventually(`the pull request message in ${channel}`, 150_000, () =>
        botMessages(channel, threadTs).find((m) => m.text.includes('/demo/cart/pull/')),
      );
    const [final, namedFinal] = await Promise.all([
      prMessage(CART_CHANNEL, mapped.ts),
      prMessage(RANDOM_CHANNEL, named.ts),
    ]);
    const elapsed = Date.now() - started;

    const itemOf = (threadTs: string) =>
      db.prisma.workItem.findFirstOrThrow({
        where: { sourceRefs: { path: ['slackThread', 'threadTs'], equals: threadTs } },
      });
    const [item, namedItem] = await Promise.all([itemOf(mapped.ts), itemOf(named.ts)]);
    expect(item).toMatchObject({
      kind: 'implement',
      repo: 'demo/cart',
      title: REQUEST,
      ownerId: aliceIdentity,
    });
    expect(item.sourceRefs).toMatchObject({ slackThread: { teamId: TEAM, channel: CART_CHANNEL } });
    expect(namedItem).toMatchObject({ repo: 'demo/cart', ownerId: aliceIdentity });
    // The item learns its PR from the forge's pull_request.opened, which can come after the
    // notifier's message in the thread: both follow the opening, on different paths.
    const pr = await eventually('the item linked to its PR', 30_000, async () => {
      const row = await itemOf(mapped.ts);
      return (row.sourceRefs as { pullRequest?: { number: number; url?: string } }).pullRequest;
    });
    const pull = await forge.pull('demo', 'cart', pr.number);
    expect(pull).toMatchObject({ state: 'open', author: ALICE_LOGIN, baseRef: 'main' });
    expect(await forge.diff('demo', 'cart', pr.number)).toContain('+export function subtotal(');
    const runs = await db.prisma.run.findMany({ where: { workItemId: { in: [item.id, namedItem.id] } } });
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);

    // The thread: exactly two bot messages, the status first and the PR message last.
    const [status, ...rest] = botMessages(CART_CHANNEL, mapped.ts);
    expect(rest).toEqual([final]);
    expect(final.text).toContain(`<${pr.url}|demo/cart#${pr.number}>`);
    expect(final.text).toContain('Verification: 1/1 passed');
    expect(namedFinal.text).toContain('Verification: 1/1 passed');

    // Updated in place: every chat.update in the channel went to the status message, with several states.
    const updates = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === CART_CHANNEL);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(updates.map((c) => `${c.args.ts} ${c.outcome}`))).toEqual(new Set([`${status!.ts} ok`]));
    expect(new Set(status!.history).size).toBeGreaterThanOrEqual(4);
    // The first state may not be shown: an update that arrives after a newer one was shown is
    // skipped (superseded), so the created message with the request's title can be.
    expect(status!.history).toEqual(
      expect.arrayContaining([expect.stringMatching(/\*running\*/), expect.stringMatching(/\*in review\*/)]),
    );
    const posts = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === CART_CHANNEL,
    );
    expect(posts.map((c) => [c.args.thread_ts, c.outcome])).toEqual([
      [mapped.ts, 'ok'],
      [mapped.ts, 'ok'],
    ]);

    // Slack retries with the same event_id (re-signed): no second work item, no second run.
    const replay = await workspace.deliver(mapped.callback, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(replay.status).toBe(200);
    // Within JetStream's 2-minute duplicate window ingress says so; past it, the orchestrator's inbox keeps it single.
    expect(['duplicate', 'accepted']).toContain(replay.body.status);
    expect(replay.body.id).toBe(`slack:${mapped.callback.event_id}`);
    // A reply in the thread once the PR is open asks for a revision of it (the demo's revise
    // script answers it), and the replay, handled before it, started nothing.
    await workspace.reply(
      CART_CHANNEL,
      ALICE,
      mapped.ts,
      'Please reject negative quantities: subtotal should throw a RangeError naming the SKU.',
    );
    const asked = await eventually('the revision the reply asked for', 30_000, () =>
      db.prisma.auditEvent.findFirst({ where: { workItemId: item.id, toState: 'revising' } }),
    );
    expect(asked).toMatchObject({ actor: ALICE, cause: `asked in slack by ${ALICE} about #${pr.number}` });
    await eventually('the revision to end', 150_000, () =>
      db.prisma.auditEvent.findFirst({
        where: { workItemId: item.id, fromState: 'revising', toState: 'in_review' },
      }),
    );
    // The revise run succeeds only if the agent was given the reply: the scripted model answers
    // it with the demo's revise script, picked by 'reject negative quantities'.
    const itemRuns = await db.prisma.run.findMany({
      where: { workItemId: item.id },
      orderBy: { attempt: 'asc' },
    });
    expect(itemRuns.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
    const revised = await eventually('the revision comment on the PR', 30_000, async () =>
      (await forge.comments('demo', 'cart', pr.number)).find((c) => c.body.includes('Horizon revised')),
    );
    expect(revised.author).toBe('horizon[bot]');
    // The review station also reviews each PR head: its review items are counted apart.
    const notReviews = { kind: { not: 'review' as const } };
    expect(await db.prisma.workItem.count({ where: notReviews })).toBe(2);
    expect(await db.prisma.run.count({ where: { workItem: notReviews } })).toBe(3);
    expect(await db.prisma.workItem.count({ where: { kind: 'review' } })).toBeGreaterThan(0);
    expect(botMessages(CART_CHANNEL, mapped.ts)).toHaveLength(2);
    process.stdout.write(`slack e2e: mentions → PR messages in ${(elapsed / 1000).toFixed(1)}s\n`);
  }, 300_000);
});
