import { ingressCancelWorkItem, orchestratorGetWorkItem } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { roleIn, satisfies } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import type { CancelAccepted } from '../shared/console-api';
import type { Viewer } from './sign-in.service';
import { NotPermitted, WorkItemNotFound } from './work-reader';

/**
 * What a member does to work in flight. The console owns none of it: a cancellation goes to
 * ingress over RPC, which publishes the same event as the work API's cancel, so the orchestrator
 * decides it the one way it always does. Each request is audited here with the person who made it.
 */
export class Steering {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditRepository,
  ) {}

  async cancel(viewer: Viewer, workItemId: string, reason: string): Promise<CancelAccepted> {
    const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
    const role = workItem ? roleIn(viewer.grants, workItem.repo) : null;
    if (!workItem || !role) throw new WorkItemNotFound(workItemId);
    if (!satisfies(role, 'member')) throw new NotPermitted(workItem.repo);
    const { status } = await this.rpc.call(ingressCancelWorkItem, {
      workItemId,
      reason,
      requestedBy: `console:${viewer.name}`,
    });
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'work_item.cancel_requested',
      target: workItemId,
      detail: { reason, repo: workItem.repo, state: workItem.state },
    });
    return { id: workItemId, status };
  }
}
