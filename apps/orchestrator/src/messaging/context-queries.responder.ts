import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  orchestratorRelatedItems,
  orchestratorSearchRunHistory,
  orchestratorTrackedItem,
} from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { ContextQueries } from '../application/context-queries';

/** Answers mcp-context's `hzn.rpc.orchestrator.*` queries once the app is up; each delegates to a use case. */
@Injectable()
export class ContextQueriesResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly queries: ContextQueries,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorTrackedItem, (data) => this.queries.trackedItem(data));
    this.rpc.serve(orchestratorRelatedItems, (data) => this.queries.relatedItems(data));
    this.rpc.serve(orchestratorSearchRunHistory, (data) => this.queries.searchRunHistory(data));
    this.logger.info(
      {
        subjects: [orchestratorTrackedItem, orchestratorRelatedItems, orchestratorSearchRunHistory].map(
          (c) => c.subject,
        ),
      },
      'context RPCs served',
    );
  }
}
