import {
  ingressAnswerBudget,
  ingressCancelWorkItem,
  type BudgetAction,
  type BudgetExtra,
  ingressFollowUpWorkItem,
  ingressRetryWorkItem,
  ingressStartWorkItem,
  orchestratorGetWorkItem,
  type WorkItemDetail,
} from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { roleIn, satisfies } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import {
  RETRYABLE_STATES,
  noRunInFlight,
  notPlanned,
  runInFlight,
  type SteeringAccepted,
} from '../shared/console-api';
import type { Viewer } from './sign-in.service';
import { NotPermitted, WorkItemNotFound } from './work-reader';

/** The request does not fit the item as it is now: `message` says why and what to do instead. */
export class NotNow extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotNow';
  }
}

/**
 * What a member does to work in flight. The console owns none of it: each request goes to
 * ingress over RPC, which publishes it as an event of its own (a cancellation is the same event
 * as the work API's), so the orchestrator decides it the one way it always does. The console
 * refuses at once what the item plainly cannot take, and audits each request with its person.
 */
export class Steering {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditRepository,
    /** The identity a person signs in as (null: none), to know an item's owner when they see one. */
    private readonly identityOf: (personId: string) => Promise<string | null>,
  ) {}

  /** The owner's (or an admin's) answer to an item waiting at a budget: continue with more, or stop. */
  async answerBudget(
    viewer: Viewer,
    workItemId: string,
    action: BudgetAction,
    extra: BudgetExtra,
  ): Promise<SteeringAccepted> {
    const workItem = await this.itemForMember(viewer, workItemId);
    const admin = satisfies(roleIn(viewer.grants, workItem.repo)!, 'admin');
    if (
      !admin &&
      (workItem.ownerId === null || (await this.identityOf(viewer.personId)) !== workItem.ownerId)
    )
      throw new NotPermitted(`${workItem.repo} (only the item's owner or an admin answers its budget)`);
    if (workItem.state !== 'waiting')
      throw new NotNow(
        `the work item is ${workItem.state}, not waiting at a budget: there is nothing to answer`,
      );
    const { status } = await this.rpc.call(ingressAnswerBudget, {
      workItemId,
      action,
      extra,
      requestedBy: `console:${viewer.name}`,
    });
    await this.record(viewer, 'work_item.budget_answered', workItemId, {
      repo: workItem.repo,
      action,
      extra,
      waiting: workItem.waiting ?? null,
    });
    return { id: workItemId, status };
  }

  async cancel(viewer: Viewer, workItemId: string, reason: string): Promise<SteeringAccepted> {
    const workItem = await this.itemForMember(viewer, workItemId);
    const { status } = await this.rpc.call(ingressCancelWorkItem, {
      workItemId,
      reason,
      requestedBy: `console:${viewer.name}`,
    });
    await this.record(viewer, 'work_item.cancel_requested', workItemId, {
      reason,
      repo: workItem.repo,
      state: workItem.state,
    });
    return { id: workItemId, status };
  }

  /** The person's words for the agent at work on the item, passed on with their name. */
  async followUp(viewer: Viewer, workItemId: string, text: string): Promise<SteeringAccepted> {
    const workItem = await this.itemForMember(viewer, workItemId);
    const run = workItem.runs[workItem.runs.length - 1];
    if (!run || !runInFlight(workItem.runs)) throw new NotNow(noRunInFlight(workItem.state));
    const { status } = await this.rpc.call(ingressFollowUpWorkItem, {
      workItemId,
      text,
      author: viewer.name,
    });
    await this.record(viewer, 'run.follow_up_sent', run.id, {
      workItemId,
      repo: workItem.repo,
      text,
    });
    return { id: workItemId, status };
  }

  /** A failed, cancelled or timed-out item queued again: the scheduler starts a new run. */
  retry(viewer: Viewer, workItemId: string): Promise<SteeringAccepted> {
    return this.queue(viewer, workItemId, ingressRetryWorkItem, 'work_item.retry_requested', (state) =>
      RETRYABLE_STATES.includes(state)
        ? null
        : `a ${state} work item cannot be retried: only a failed, cancelled or timed-out one can (a new run starts)`,
    );
  }

  /** A planned item (a retro's proposal, one created without auto-start) queued: the scheduler runs it. */
  start(viewer: Viewer, workItemId: string): Promise<SteeringAccepted> {
    return this.queue(viewer, workItemId, ingressStartWorkItem, 'work_item.start_requested', (state) =>
      state === 'planned' ? null : notPlanned(state),
    );
  }

  /**
   * Asks ingress to queue the item for a run on the person's behalf, once `refusal` (what the
   * item's state says against it, or null) has nothing to say, and audits the request.
   */
  private async queue(
    viewer: Viewer,
    workItemId: string,
    rpc: typeof ingressRetryWorkItem | typeof ingressStartWorkItem,
    action: string,
    refusal: (state: WorkItemDetail['state']) => string | null,
  ): Promise<SteeringAccepted> {
    const workItem = await this.itemForMember(viewer, workItemId);
    const refused = refusal(workItem.state);
    if (refused) throw new NotNow(refused);
    const { status } = await this.rpc.call(rpc, { workItemId, requestedBy: `console:${viewer.name}` });
    await this.record(viewer, action, workItemId, { repo: workItem.repo, state: workItem.state });
    return { id: workItemId, status };
  }

  /** The item, when the person may see it and is a member of its repository. */
  private async itemForMember(viewer: Viewer, workItemId: string): Promise<WorkItemDetail> {
    const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
    const role = workItem ? roleIn(viewer.grants, workItem.repo) : null;
    if (!workItem || !role) throw new WorkItemNotFound(workItemId);
    if (!satisfies(role, 'member')) throw new NotPermitted(workItem.repo);
    return workItem;
  }

  private record(viewer: Viewer, action: string, target: string, detail: Record<string, unknown>) {
    return this.audit.record({ personId: viewer.personId, actor: viewer.name, action, target, detail });
  }
}
