import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  orchestratorGetWorkItem,
  orchestratorListRepositories,
  orchestratorListWorkItems,
  orchestratorWorkGraph,
} from '@horizon/contracts';
import { RpcError, RpcServer } from '@horizon/messaging';
import { InvalidCursorError, WorkItemQueries } from '../application/work-item-queries';

/**
 * Answers `hzn.rpc.orchestrator.*`: other services read work items through these RPCs, never
 * from the orchestrator's tables. A cursor it did not issue is the caller's error (`invalid_cursor`).
 */
@Injectable()
export class WorkQueriesResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly queries: WorkItemQueries,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorListWorkItems, (query) =>
      this.queries.list(query).catch((err: unknown) => {
        if (err instanceof InvalidCursorError) throw new RpcError(err.code, err.message);
        throw err;
      }),
    );
    this.rpc.serve(orchestratorGetWorkItem, (query) => this.queries.get(query));
    this.rpc.serve(orchestratorWorkGraph, (query) => this.queries.graph(query));
    this.rpc.serve(orchestratorListRepositories, () => this.queries.repositories());
  }
}
