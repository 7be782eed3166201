import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { orchestratorUsageRollup } from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import { ModelUsageRepository } from '../persistence/model-usage.repository';

/** Answers `hzn.rpc.orchestrator.usage_rollup`: the work API, the CLI and the console read usage here. */
@Injectable()
export class UsageResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly usage: ModelUsageRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorUsageRollup, async ({ since, ...filters }) => ({
      rows: await this.usage.rollup({ ...filters, since: new Date(since) }),
    }));
  }
}
