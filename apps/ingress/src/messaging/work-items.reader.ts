import {
  orchestratorGetWorkItem,
  orchestratorListWorkItems,
  workItemWithRunsSchema,
} from '@horizon/contracts';
import type { DataOf, ReplyOf, WorkItemWithRuns } from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';

export class InvalidCursorError extends Error {}

/** The orchestrator did not answer: the caller may retry later. */
export class WorkItemsUnavailableError extends Error {}

/**
 * Work items as the orchestrator, which owns them, answers for them (`hzn.rpc.orchestrator.*`):
 * ingress keeps no copy and reads no table of another service.
 */
export class WorkItemReader {
  constructor(private readonly rpc: Pick<RpcClient, 'call'>) {}

  async find(id: string): Promise<WorkItemWithRuns | null> {
    const { workItem } = await this.ask(orchestratorGetWorkItem, { workItemId: id });
    // The API serves the item with its runs and blockers; the audit timeline stays in the console.
    return workItem && workItemWithRunsSchema.parse(workItem);
  }

  list(query: DataOf<typeof orchestratorListWorkItems>): Promise<ReplyOf<typeof orchestratorListWorkItems>> {
    return this.ask(orchestratorListWorkItems, query);
  }

  private async ask<C extends typeof orchestratorGetWorkItem | typeof orchestratorListWorkItems>(
    contract: C,
    data: DataOf<C>,
  ): Promise<ReplyOf<C>> {
    try {
      return await this.rpc.call(contract, data);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      if (err.code === 'invalid_cursor') throw new InvalidCursorError('cursor is not one this API issued');
      throw new WorkItemsUnavailableError(err.message);
    }
  }
}
