import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  orchestratorGetWorkItem,
  orchestratorListWorkItems,
  orchestratorWorkGraph,
  slackAppMention,
} from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';
import { OrchestratorStack, until } from './harness';
import { createRequest, slackMention } from '@horizon/testing';

/**
 * The orchestrator's conversations with other services over request/reply: who owns a new item
 * (identity-broker's RPCs, asked outside the transaction) and what other services may read about
 * work items (its own `hzn.rpc.orchestrator.*`), over real Postgres and NATS.
 */
describe('orchestrator RPCs: owners from identity-broker, work items for other services', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SLACK_CHANNEL_REPOS: '{"C05BILLING":"acme/billing"}' } });
    rpc = new RpcClient(stack.connection, 'orchestrator-rpc-test');
  });
  afterAll(() => stack.stop());

  const threadItem = async (threadTs: string) =>
    (
      await stack.query<{ id: string; ownerId: string | null }>(
        `SELECT id::text, "ownerId"::text FROM "WorkItem" WHERE "sourceRefs"->'slackThread'->>'threadTs' = $1`,
        [threadTs],
      )
    )[0];

  describe('owners', () => {
    it('records an API request’s owner only when identity-broker knows the id', async () => {
      const ada = await stack.linkPerson('Ada', 'slack', `U${randomUUID().slice(0, 8).toUpperCase()}`);
      const owned = { ...createRequest({ title: 'Owned' }), ownerId: ada };
      const stranger = { ...createRequest({ title: 'Unknown owner' }), ownerId: randomUUID() };
      await stack.publish(apiWorkItemCreate, owned);
      await stack.publish(apiWorkItemCreate, stranger);
      await stack.waitForState(owned.workItemId, 'in_review');
      await stack.waitForState(stranger.workItemId, 'in_review');
      expect((await stack.item(owned.workItemId)).ownerId).toBe(ada);
      expect((await stack.item(stranger.workItemId)).ownerId).toBeNull();
    });

    it('while identity-broker is down, a request from a linked person waits (retried) instead of becoming ownerless', async () => {
      const mention = slackMention('<@U07HZNBOT> add a coupon field');
      const grace = await stack.linkPerson('Grace', 'slack', mention.message.user);
      await stack.stopIdentityBroker();
      try {
        await stack.publish(slackAppMention, mention);
        // The first delivery and its first retry (after 1 s) both find nobody to ask.
        await new Promise((r) => setTimeout(r, 2000));
        expect(await threadItem(mention.message.threadTs)).toBeUndefined();
      } finally {
        await stack.startIdentityBroker();
      }
      const item = await until(
        () => threadItem(mention.message.threadTs),
        'the item once the broker is back',
        20_000,
      );
      expect(item.ownerId).toBe(grace);
    });
  });

  describe('work-item queries', () => {
    const repo = `acme/q${randomUUID().slice(0, 8)}`;
    let first: string;
    let second: string;

    beforeAll(async () => {
      const a = createRequest({ title: 'First', repo });
      const b = createRequest({ title: 'Second', repo, blockedBy: [a.workItemId], autoStart: false });
      await stack.publish(apiWorkItemCreate, a);
      await stack.waitForState(a.workItemId, 'in_review');
      await stack.publish(apiWorkItemCreate, b);
      await stack.waitForState(b.workItemId, 'blocked');
      [first, second] = [a.workItemId, b.workItemId];
    });

    it('lists newest first with filters, a page at a time, and refuses a cursor it did not issue', async () => {
      const all = await rpc.call(orchestratorListWorkItems, { repo, limit: 50 });
      expect(all.items.map((i) => i.id)).toEqual([second, first]);
      expect(all.nextCursor).toBeNull();

      const page1 = await rpc.call(orchestratorListWorkItems, { repo, limit: 1 });
      expect(page1.items.map((i) => i.id)).toEqual([second]);
      const page2 = await rpc.call(orchestratorListWorkItems, { repo, limit: 1, cursor: page1.nextCursor! });
      expect(page2).toEqual({
        items: [expect.objectContaining({ id: first, title: 'First' })],
        nextCursor: null,
      });

      const blocked = await rpc.call(orchestratorListWorkItems, { repo, state: 'blocked', limit: 50 });
      expect(blocked.items.map((i) => i.id)).toEqual([second]);
      expect((await rpc.call(orchestratorListWorkItems, { parentId: first, limit: 50 })).items).toEqual([]);

      await expect(
        rpc.call(orchestratorListWorkItems, { repo, limit: 1, cursor: 'garbage' }),
      ).rejects.toMatchObject({ code: 'invalid_cursor' } satisfies Partial<RpcError>);
    });

    it('gives one item with its runs, dependencies and audit timeline; null for an unknown id', async () => {
      const { workItem } = await rpc.call(orchestratorGetWorkItem, { workItemId: first });
      expect(workItem).toMatchObject({
        id: first,
        state: 'in_review',
        repo,
        blockedBy: [],
        blocks: [second],
      });
      expect(workItem!.runs).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'succeeded', inputTokens: 1200, costUsd: 0.0123 }),
      ]);
      const transitions = workItem!.timeline
        .filter((e) => e.action === 'transition')
        .map((e) => `${e.fromState}→${e.toState}`);
      expect(transitions).toEqual(expect.arrayContaining(['queued→provisioning', 'running→in_review']));

      const waiting = await rpc.call(orchestratorGetWorkItem, { workItemId: second });
      expect(waiting.workItem).toMatchObject({ blockedBy: [first], blocks: [], runs: [] });
      expect(await rpc.call(orchestratorGetWorkItem, { workItemId: randomUUID() })).toEqual({
        workItem: null,
      });
    });

    it('lists and graphs each item with its latest run, and the blocked-by edges among them', async () => {
      const listed = await rpc.call(orchestratorListWorkItems, { repo, limit: 50 });
      // The stand-in runner's verification command exits 0 in the harness's scripted run.
      expect(listed.items.find((i) => i.id === first)!.latestRun).toMatchObject({ outcome: 'succeeded' });
      expect(listed.items.find((i) => i.id === second)!.latestRun).toBeNull();

      const graph = await rpc.call(orchestratorWorkGraph, { repo });
      expect(graph.nodes.map((n) => n.id).sort()).toEqual([first, second].sort());
      expect(graph.edges).toEqual([{ from: first, to: second }]);
      expect(graph.truncated).toBe(false);
      expect(await rpc.call(orchestratorWorkGraph, { parentId: first })).toEqual({
        nodes: [],
        edges: [],
        truncated: false,
      });
      await expect(rpc.call(orchestratorWorkGraph, {} as never)).rejects.toThrow(
        /exactly one of parentId or repo/,
      );
    });
  });
});
