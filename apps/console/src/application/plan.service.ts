import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  envelopeFor,
  harnessLabel,
  type DataOf,
  type Envelope,
  type HarnessName,
} from '@horizon/contracts';
import { roleIn, satisfies, visibleRepos } from '../domain/access';
import { applyEdit, blockersFirst, checkItems, PlanRuleBroken, type PlanEdit } from '../domain/plan';
import type { AuditRepository } from '../persistence/audit.repository';
import type { DraftChanges, PlanRepository } from '../persistence/plan.repository';
import type { PlanPresence } from '../messaging/plan-presence';
import type { PlanDraftView, PlanEditRequest, PlanListView, PlanStarted } from '../shared/console-api';
import type { Viewer } from './sign-in.service';

/** No such draft, or not one the person may see: the same 404 for both. */
export class PlanNotFound extends Error {}
/** The person may see the draft but not change it (a viewer there). */
export class PlanNotPermitted extends Error {}
/** Someone else wrote first, or the draft was started: the API answers 409 with `current`. */
export class PlanConflictError extends Error {
  constructor(readonly current: PlanDraftView) {
    super(
      current.status === 'started'
        ? `${current.updatedBy} started this plan; it cannot be changed any more`
        : `${current.updatedBy} changed this plan meanwhile (now version ${current.version}); your edit was not saved`,
    );
  }
}
/** The items could not all be sent to become work items; the draft was reopened. */
export class PlanStartFailed extends Error {}
/** The PM agent could not be asked (the bus away); the draft says so, and it can be asked again. */
export class PlanAgentNotAsked extends Error {}

export interface EnvelopePublisher {
  publish(envelope: Envelope): Promise<unknown>;
}

/**
 * Plan drafts: several people shape one, each write made on the version its author last saw
 * (optimistic concurrency, so nobody overwrites an edit they never saw), and starting it sends
 * one `hzn.ingress.api.work_item_create` per item. The console writes only its own table; the
 * orchestrator records the work items and their edges.
 */
export class PlanService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly audit: AuditRepository,
    private readonly presence: PlanPresence,
    private readonly ingress: EnvelopePublisher,
  ) {}

  async create(
    viewer: Viewer,
    input: { repo: string; title: string; brief: string },
  ): Promise<PlanDraftView> {
    if (!satisfies(roleIn(viewer.grants, input.repo), 'member'))
      throw new PlanNotPermitted(`drafting a plan in ${input.repo} needs the member role there`);
    const draft = await this.plans.create({ id: randomUUID(), ...input, by: viewer.name });
    await this.record(viewer, 'plan.created', draft, { repo: draft.repo, title: draft.title });
    return draft;
  }

  async list(viewer: Viewer, repo?: string): Promise<PlanListView> {
    const visible = visibleRepos(viewer.grants);
    const drafts = await this.plans.list(visible.all ? null : [...visible.repos], repo);
    return { drafts: drafts.map(({ items: _items, brief: _brief, ...summary }) => summary) };
  }

  async get(viewer: Viewer, id: string): Promise<PlanDraftView> {
    const draft = await this.plans.find(id);
    if (!draft || !roleIn(viewer.grants, draft.repo)) throw new PlanNotFound(id);
    return draft;
  }

  async edit(viewer: Viewer, id: string, request: PlanEditRequest): Promise<PlanDraftView> {
    const draft = await this.writable(viewer, id, request.version);
    let changes: DraftChanges;
    if (request.kind === 'details') changes = { title: request.title, brief: request.brief };
    else {
      const edit: PlanEdit =
        request.kind === 'add_item'
          ? { kind: 'add_item', item: { ...request.item, id: randomUUID() } }
          : request;
      changes = { items: applyEdit(draft.items, edit) };
    }
    const saved = await this.write(viewer, draft, request.version, changes);
    await this.record(viewer, `plan.${request.kind}`, saved, { version: saved.version });
    return saved;
  }

  /**
   * Marks the draft started (under its version, so an edit nobody saw cannot slip in), then sends
   * one work item request per item, blockers first. Each envelope id names the draft and item,
   * and each work item id is the item's: a start retried after a failure sends the same
   * messages, which JetStream's de-duplication and the orchestrator's inbox both drop.
   * `harness`, when the person picked one, is each item's `harness:<name>` label.
   */
  async start(viewer: Viewer, id: string, version: number, harness?: HarnessName): Promise<PlanStarted> {
    const draft = await this.writable(viewer, id, version);
    if (draft.items.length === 0) throw new PlanRuleBroken('add at least one item before starting the plan');
    if (draft.planning?.state === 'planning')
      throw new PlanRuleBroken(
        'the PM agent is still planning this draft and its proposal would replace the items; wait for it, or cancel its run on its work item page',
      );
    checkItems(draft.items);
    const started = await this.write(viewer, draft, version, { status: 'started', startedAt: new Date() });
    try {
      for (const item of blockersFirst(started.items))
        await this.ingress.publish(this.request(viewer, started, item, harness));
    } catch (err) {
      await this.plans.reopen(id, viewer.name);
      this.presence.changed(id, started.version + 1, viewer.name);
      throw new PlanStartFailed(
        `the plan's items could not all be sent (${(err as Error).message}); start it again`,
      );
    }
    await this.record(viewer, 'plan.started', started, {
      workItemIds: started.items.map((i) => i.id),
      harness: harness ?? null,
    });
    return { draft: started, workItemIds: started.items.map((i) => i.id) };
  }

  /**
   * Asks the PM agent to plan the draft's brief: one `plan` work item, marked as a proposal for
   * this draft, so its run creates nothing and its issues come back (`plan_proposed`, read by
   * PlanProposalIntake) to replace the draft's items for people to review. Marked `planning`
   * first, under the version the person saw, so two people cannot ask at once.
   */
  async runPmAgent(viewer: Viewer, id: string, version: number): Promise<PlanDraftView> {
    const draft = await this.writable(viewer, id, version);
    if (draft.planning?.state === 'planning')
      throw new PlanRuleBroken('the PM agent is already planning this draft; its proposal will appear here');
    if (!draft.brief.trim()) throw new PlanRuleBroken('write the brief first: the PM agent plans from it');
    const workItemId = randomUUID();
    const planning = await this.write(viewer, draft, version, {
      planningWorkItemId: workItemId,
      planningState: 'planning',
    });
    try {
      await this.ingress.publish(this.planRequest(viewer, planning, workItemId));
    } catch (err) {
      const reason = `the PM agent could not be asked (${(err as Error).message}); run it again`;
      const now = await this.plans.planningFailed(id, workItemId, reason);
      if (now) this.presence.changed(id, now, viewer.name);
      throw new PlanAgentNotAsked(reason);
    }
    await this.record(viewer, 'plan.pm_agent_asked', planning, { workItemId, replacing: draft.items.length });
    return planning;
  }

  private planRequest(viewer: Viewer, draft: PlanDraftView, workItemId: string): Envelope {
    return workItemRequest(viewer, `console:plan:${draft.id}:pm-agent:${workItemId}`, {
      workItemId,
      repo: draft.repo,
      title: draft.title,
      description: draft.brief,
      kind: 'plan',
      blockedBy: [],
      proposalFor: { consolePlanDraftId: draft.id },
    });
  }

  private request(
    viewer: Viewer,
    draft: PlanDraftView,
    item: PlanDraftView['items'][number],
    harness: HarnessName | undefined,
  ): Envelope {
    const criteria = item.acceptanceCriteria
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const description = [
      item.description.trim(),
      criteria.length ? `## Acceptance criteria\n${criteria.map((c) => `- ${c}`).join('\n')}` : '',
      `_From the plan "${draft.title}" in the console._`,
    ]
      .filter(Boolean)
      .join('\n\n');
    return workItemRequest(viewer, `console:plan:${draft.id}:${item.id}`, {
      workItemId: item.id,
      repo: draft.repo,
      title: item.title,
      description,
      kind: 'implement',
      blockedBy: item.blockedBy,
      labels: harness ? [harnessLabel(harness)] : [],
    });
  }

  /** The draft, if the person may change it and it is still the version they saw. */
  private async writable(viewer: Viewer, id: string, version: number): Promise<PlanDraftView> {
    const draft = await this.get(viewer, id);
    if (!satisfies(roleIn(viewer.grants, draft.repo), 'member'))
      throw new PlanNotPermitted(`changing plans in ${draft.repo} needs the member role there`);
    if (draft.status !== 'draft' || draft.version !== version) throw new PlanConflictError(draft);
    return draft;
  }

  private async write(viewer: Viewer, draft: PlanDraftView, version: number, changes: DraftChanges) {
    const landed = await this.plans.write(draft.id, version, viewer.name, changes);
    const now = await this.plans.find(draft.id);
    if (!now) throw new PlanNotFound(draft.id);
    if (!landed) throw new PlanConflictError(now);
    this.presence.changed(now.id, now.version, viewer.name);
    return now;
  }

  private record(viewer: Viewer, action: string, draft: PlanDraftView, detail: Record<string, unknown>) {
    return this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action,
      target: draft.id,
      detail,
    });
  }
}

type WorkItemRequest = DataOf<typeof apiWorkItemCreate>;

/**
 * A work item the console asks ingress for, as the work API would: started at once, unowned,
 * at the default priority, and requested by the person; the delivery id makes a retry harmless.
 */
function workItemRequest(
  viewer: Viewer,
  deliveryId: string,
  item: Pick<WorkItemRequest, 'workItemId' | 'repo' | 'title' | 'description' | 'kind' | 'blockedBy'> &
    Partial<Pick<WorkItemRequest, 'proposalFor' | 'labels'>>,
): Envelope {
  return envelopeFor(
    apiWorkItemCreate,
    {
      delivery: {
        source: 'api',
        deliveryId,
        event: 'work_item_create',
        action: null,
        receivedAt: new Date().toISOString(),
      },
      ownerId: null,
      autoStart: true,
      labels: [],
      priority: 3,
      requestedBy: `console:${viewer.name}`,
      ...item,
    },
    { source: 'console', id: deliveryId },
  );
}
