import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { apiWorkItemCancel, workItemPlanProposed } from '@horizon/contracts';
import { cancelRequest, until } from '@horizon/testing';
import type {
  GraphView,
  PlanConflict,
  PlanDraftView,
  PlanEditRequest,
  PlanListView,
  PlanLiveEvent,
  PlanStarted,
  WorkItemPage,
} from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';
import { SseReader } from './support/sse';

/** Short, so a person who left drops out within the test; the browser's heartbeat is every ~10 s. */
const PRESENCE_TIMEOUT_MS = 800;

/**
 * Plan drafts over real HTTP, Postgres and NATS, started into work items the real orchestrator
 * records: version checks between two people, cycles refused, presence over core NATS.
 */
describe('console plans', () => {
  let hzn: ConsoleUnderTest;
  let ada: Browser;
  let grace: Browser;
  let viewer: Browser;
  const repo = `acme/p${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start({ CONSOLE_PRESENCE_TIMEOUT_MS: String(PRESENCE_TIMEOUT_MS) });
    ada = await hzn.signIn('ada', 'member', repo);
    grace = await hzn.signIn('grace', 'member', repo);
    viewer = await hzn.signIn('vic', 'viewer', repo);
  }, 120_000);
  afterAll(() => hzn?.stop());

  const create = async (who: Browser, title = 'Coupons') => {
    const res = await hzn.request('/api/plans', {
      method: 'POST',
      browser: who,
      body: { repo, title, brief: 'Why' },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as PlanDraftView;
  };
  const edit = (who: Browser, id: string, body: PlanEditRequest) =>
    hzn.request(`/api/plans/${id}`, { method: 'PATCH', browser: who, body });
  const addItem = async (who: Browser, draft: PlanDraftView, title: string, blockedBy: string[] = []) => {
    const res = await edit(who, draft.id, {
      version: draft.version,
      kind: 'add_item',
      item: {
        title,
        description: `${title}, in short`,
        acceptanceCriteria: 'It works\nIt is tested',
        blockedBy,
      },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as PlanDraftView;
  };

  it('keeps both people’s edits apart: a write on a stale version is refused with 409 and the current draft', async () => {
    const draft = await create(ada);
    expect(draft).toMatchObject({ repo, status: 'draft', version: 1, items: [], createdBy: 'ada' });
    const byAda = await addItem(ada, draft, 'Model');
    // Grace still has version 1 on her screen.
    const stale = await edit(grace, draft.id, { version: 1, kind: 'details', title: 'Discounts' });
    expect(stale.status).toBe(409);
    const conflict = (await stale.json()) as PlanConflict;
    expect(conflict.message).toMatch(/^ada changed this plan meanwhile/);
    expect(conflict.current).toEqual(byAda);
    const fresh = await edit(grace, draft.id, {
      version: byAda.version,
      kind: 'details',
      title: 'Discounts',
    });
    expect(fresh.status).toBe(200);
    expect((await fresh.json()) as PlanDraftView).toMatchObject({
      title: 'Discounts',
      version: 3,
      updatedBy: 'grace',
    });
    const list = (await (
      await hzn.request(`/api/plans?repo=${repo}`, { browser: viewer })
    ).json()) as PlanListView;
    expect(list.drafts.map((d) => d.id)).toContain(draft.id);
    const audit = await hzn.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM console."ConsoleAudit" WHERE target = '${draft.id}' ORDER BY at`,
    );
    expect(audit).toEqual([
      { actor: 'ada', action: 'plan.created' },
      { actor: 'ada', action: 'plan.add_item' },
      { actor: 'grace', action: 'plan.details' },
    ]);
  });

  it('refuses an edge that would make a cycle, naming it', async () => {
    let draft = await create(ada, 'Cycles');
    draft = await addItem(ada, draft, 'First');
    draft = await addItem(ada, draft, 'Second', [draft.items[0]!.id]);
    const res = await edit(ada, draft.id, {
      version: draft.version,
      kind: 'update_item',
      itemId: draft.items[0]!.id,
      changes: { blockedBy: [draft.items[1]!.id] },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      'that would make a cycle: "First" → "Second" → "First"; nothing in it could ever start',
    );
  });

  it('refuses a viewer’s writes with 403, and answers 404 for a draft in a repository they cannot see', async () => {
    const draft = await create(ada, 'Read only');
    const res = await edit(viewer, draft.id, { version: draft.version, kind: 'details', brief: 'mine now' });
    expect(res.status).toBe(403);
    const start = await hzn.request(`/api/plans/${draft.id}/start`, {
      method: 'POST',
      browser: viewer,
      body: { version: 1 },
    });
    expect(start.status).toBe(403);
    const made = await hzn.request('/api/plans', {
      method: 'POST',
      browser: viewer,
      body: { repo, title: 'x' },
    });
    expect(made.status).toBe(403);
    const stranger = await hzn.signIn('stranger', 'admin', 'acme/elsewhere');
    expect((await hzn.request(`/api/plans/${draft.id}`, { browser: stranger })).status).toBe(404);
  });

  it('shows who is here and what they edit to the others within a second, streams edits, and drops someone silent', async () => {
    const draft = await create(ada, 'Presence');
    const live = await SseReader.open(`${hzn.url}/api/plans/${draft.id}/live`, { cookie: ada.cookie });
    const presence = () =>
      live.named
        .filter((e) => e.event === 'presence')
        .map((e) => e.data as PlanLiveEvent & { type: 'presence' });
    await until(() => presence().length > 0, 'the presence on connecting');
    const sent = performance.now();
    const beat = await hzn.request(`/api/plans/${draft.id}/presence`, {
      method: 'POST',
      browser: grace,
      body: { editingItemId: null },
    });
    expect(beat.status).toBe(204);
    const arrived = await until(
      () => live.named.find((e) => e.event === 'presence' && JSON.stringify(e.data).includes('grace')),
      'grace on ada’s presence bar',
      1000,
      10,
    );
    expect(arrived.receivedAt - sent).toBeLessThan(1000);
    expect(presence().at(-1)!.people).toEqual([
      { personId: grace.personId, name: 'grace', editingItemId: null },
    ]);

    // An edit reaches the others as a new version.
    const edited = await addItem(ada, draft, 'Live');
    await until(
      () => live.named.find((e) => e.event === 'changed'),
      'the change on the live stream',
      1000,
      10,
    );

    // Grace opens the new item: the others see which one she edits.
    const itemId = edited.items[0]!.id;
    await hzn.request(`/api/plans/${draft.id}/presence`, {
      method: 'POST',
      browser: grace,
      body: { editingItemId: itemId },
    });
    await until(() => presence().at(-1)!.people[0]?.editingItemId === itemId, 'grace’s marker', 1000, 10);

    // Grace stops sending heartbeats: after the timeout she is gone.
    await until(() => presence().at(-1)!.people.length === 0, 'grace dropping out', PRESENCE_TIMEOUT_MS * 3);
    await live.close();
  });

  it('drops someone at once when their last tab on the draft closes, not when another one does', async () => {
    const draft = await create(ada, 'Leaving');
    const live = await SseReader.open(`${hzn.url}/api/plans/${draft.id}/live`, { cookie: ada.cookie });
    const people = () =>
      live.named
        .filter((e) => e.event === 'presence')
        .map((e) => (e.data as PlanLiveEvent & { type: 'presence' }).people.map((p) => p.name));
    const tabs = await Promise.all(
      [1, 2].map(() => SseReader.open(`${hzn.url}/api/plans/${draft.id}/live`, { cookie: grace.cookie })),
    );
    const beat = () =>
      hzn.request(`/api/plans/${draft.id}/presence`, {
        method: 'POST',
        browser: grace,
        body: { editingItemId: null },
      });
    await beat();
    await until(() => people().at(-1)?.includes('grace'), 'grace on ada’s presence bar', 1000, 10);

    // Each close follows a fresh heartbeat, so the timeout (800 ms) cannot be what drops her.
    await beat();
    await tabs[0]!.close();
    // Long enough for a wrong 'left' to arrive over NATS; short of the heartbeat timeout.
    await new Promise((r) => setTimeout(r, 300));
    expect(people().at(-1)).toEqual(['grace']);
    await beat();
    const closed = performance.now();
    await tabs[1]!.close();
    await until(() => people().at(-1)?.length === 0, 'grace leaving', 1000, 10);
    expect(performance.now() - closed).toBeLessThan(PRESENCE_TIMEOUT_MS / 2);
    await live.close();
  });

  const pmAgent = (who: Browser, draft: PlanDraftView) =>
    hzn.request(`/api/plans/${draft.id}/pm-agent`, {
      method: 'POST',
      browser: who,
      body: { version: draft.version },
    });
  const workItem = async (id: string) => {
    const res = await hzn.request(`/api/work-items/${id}`, { browser: ada });
    return res.status === 200 ? ((await res.json()) as WorkItemPage).workItem : null;
  };

  /*
   * The PM agent's run itself needs sandbox-manager and a model; the orchestrator's own test
   * (apps/orchestrator/test/plans.test.ts) runs it to its `plan_proposed`. Here the real
   * orchestrator records the plan item, and the test publishes the event that run would.
   */
  it('runs the PM agent on the brief: a plan item marked for the draft, whose proposal replaces the items for review', async () => {
    let draft = await create(ada, 'Gift cards');
    draft = await addItem(ada, draft, 'Written by hand');
    const blank = await create(ada, 'No brief yet');
    await edit(ada, blank.id, { version: 1, kind: 'details', brief: '  ' });
    const noBrief = await pmAgent(
      ada,
      (await (await hzn.request(`/api/plans/${blank.id}`, { browser: ada })).json()) as PlanDraftView,
    );
    expect(noBrief.status).toBe(400);
    expect(((await noBrief.json()) as { message: string }).message).toMatch(/write the brief first/);
    expect((await pmAgent(viewer, draft)).status).toBe(403);

    const live = await SseReader.open(`${hzn.url}/api/plans/${draft.id}/live`, { cookie: grace.cookie });
    const res = await pmAgent(ada, draft);
    expect(res.status).toBe(202);
    const planning = (await res.json()) as PlanDraftView;
    expect(planning.version).toBe(draft.version + 1);
    expect(planning.items).toEqual(draft.items);
    const { workItemId } = planning.planning!;
    expect(planning.planning).toEqual({ workItemId, state: 'planning', error: null });

    const plan = await until(() => workItem(workItemId), 'the orchestrator to record the plan item');
    expect(plan).toMatchObject({ kind: 'plan', repo, title: 'Gift cards', description: 'Why' });
    expect(plan.sourceRefs).toEqual({ consolePlanDraft: { id: draft.id } });
    const twice = await pmAgent(grace, planning);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { message: string }).message).toMatch(/already planning/);
    const early = await hzn.request(`/api/plans/${draft.id}/start`, {
      method: 'POST',
      browser: ada,
      body: { version: planning.version },
    });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { message: string }).message).toMatch(/still planning/);

    const proposal = {
      workItemId,
      runId: randomUUID(),
      repo,
      consolePlanDraftId: draft.id,
      issues: [
        {
          key: 'A',
          title: 'Card model',
          description: 'Balances.',
          acceptanceCriteria: ['stores a balance', 'is tested'],
          blockedBy: [],
        },
        { key: 'B', title: 'Redeem at checkout', description: '', acceptanceCriteria: [], blockedBy: ['A'] },
      ],
    };
    await hzn.publish(workItemPlanProposed, proposal);
    const proposed = await until(async () => {
      const d = (await (
        await hzn.request(`/api/plans/${draft.id}`, { browser: grace })
      ).json()) as PlanDraftView;
      return d.planning?.state === 'proposed' && d;
    }, 'the proposal in the draft');
    expect(proposed).toMatchObject({ version: planning.version + 1, updatedBy: 'PM agent', status: 'draft' });
    const [card, redeem] = proposed.items;
    expect(proposed.items).toEqual([
      {
        id: card!.id,
        title: 'Card model',
        description: 'Balances.',
        acceptanceCriteria: 'stores a balance\nis tested',
        blockedBy: [],
      },
      {
        id: redeem!.id,
        title: 'Redeem at checkout',
        description: '',
        acceptanceCriteria: '',
        blockedBy: [card!.id],
      },
    ]);
    await until(
      () => live.named.find((e) => e.event === 'changed' && (e.data as { by: string }).by === 'PM agent'),
      'the proposal on the live stream',
    );
    await live.close();

    // The same answer again (a redelivery, a replay) changes nothing: only the planning run's first answer lands.
    await hzn.publish(workItemPlanProposed, { ...proposal, issues: [proposal.issues[0]!] });
    await new Promise((r) => setTimeout(r, 500));
    const after = (await (
      await hzn.request(`/api/plans/${draft.id}`, { browser: ada })
    ).json()) as PlanDraftView;
    expect(after).toEqual(proposed);
    const audit = await hzn.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM console."ConsoleAudit" WHERE target = '${draft.id}' AND action LIKE 'plan.p%' ORDER BY at`,
    );
    expect(audit).toEqual([
      { actor: 'ada', action: 'plan.pm_agent_asked' },
      { actor: 'PM agent', action: 'plan.proposed' },
    ]);
  });

  it('shows why the PM agent gave no proposal: its plan item cancelled leaves the draft as it was, saying so', async () => {
    let draft = await create(ada, 'Loyalty points');
    draft = await addItem(ada, draft, 'Kept');
    const planning = (await (await pmAgent(ada, draft)).json()) as PlanDraftView;
    const { workItemId } = planning.planning!;
    await until(() => workItem(workItemId), 'the orchestrator to record the plan item');
    // What ingress publishes for the console's cancel (ingress is not running here).
    await hzn.publish(apiWorkItemCancel, cancelRequest(workItemId, 'wrong brief'));
    const failed = await until(async () => {
      const d = (await (
        await hzn.request(`/api/plans/${draft.id}`, { browser: ada })
      ).json()) as PlanDraftView;
      return d.planning?.state === 'failed' && d;
    }, 'the failure in the draft');
    expect(failed.planning!.error).toMatch(/^the PM agent's run was cancelled: .*wrong brief/);
    expect(failed.items).toEqual(draft.items);

    // It can be asked again; the new run forgets the old failure.
    const again = (await (await pmAgent(grace, failed)).json()) as PlanDraftView;
    expect(again.planning).toMatchObject({ state: 'planning', error: null });
    expect(again.planning!.workItemId).not.toBe(workItemId);
  });

  it('starts the plan: the orchestrator records one work item per item with its edges and the harness picked, and a second start is refused', async () => {
    let draft = await create(ada, 'Ship coupons');
    draft = await addItem(ada, draft, 'Coupon model');
    draft = await addItem(ada, draft, 'Coupon API', [draft.items[0]!.id]);
    draft = await addItem(ada, draft, 'Checkout', [draft.items[0]!.id, draft.items[1]!.id]);
    const [model, api, checkout] = draft.items.map((i) => i.id);
    const body = (harness: string) => ({ version: draft.version, harness });
    const start = (harness: string) =>
      hzn.request(`/api/plans/${draft.id}/start`, { method: 'POST', browser: grace, body: body(harness) });
    expect((await start('aider')).status).toBe(400);
    const res = await start('codex');
    expect(res.status).toBe(200);
    const started = (await res.json()) as PlanStarted;
    expect(started.draft).toMatchObject({ status: 'started', updatedBy: 'grace' });
    expect(started.workItemIds).toEqual([model, api, checkout]);

    const graph = await until(async () => {
      const g = (await (await hzn.request(`/api/graph?repo=${repo}`, { browser: ada })).json()) as GraphView;
      // The PM agent's plan items above are in this repository too.
      const made = g.nodes.filter((n) => started.workItemIds.includes(n.id));
      return made.length === 3 && g;
    }, 'the orchestrator to record the three work items');
    expect(graph.nodes.find((n) => n.id === api)).toMatchObject({
      title: 'Coupon API',
      kind: 'implement',
      labels: ['harness:codex'],
    });
    const edge = (from: string | undefined, to: string | undefined) => ({ from, to });
    expect(graph.edges).toEqual(
      expect.arrayContaining([edge(model, api), edge(model, checkout), edge(api, checkout)]),
    );
    expect(graph.edges).toHaveLength(3);

    const again = await hzn.request(`/api/plans/${draft.id}/start`, {
      method: 'POST',
      browser: ada,
      body: { version: started.draft.version },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as PlanConflict).message).toMatch(/grace started this plan/);
    const late = await edit(ada, draft.id, {
      version: started.draft.version,
      kind: 'details',
      brief: 'more',
    });
    expect(late.status).toBe(409);
  });
});
