import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { orchestratorRepoTrends, orchestratorUsageRollup } from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import { ModelUsageRepository } from '../persistence/model-usage.repository';
import { RepoTrendsRepository } from '../persistence/repo-trends.repository';

/**
 * Answers `hzn.rpc.orchestrator.usage_rollup` and `repo_trends`: the work API, the CLI and the
 * console read usage and how runs go over time here.
 */
@Injectable()
export class UsageResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly usage: ModelUsageRepository,
    private readonly trends: RepoTrendsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorUsageRollup, async ({ since, ...filters }) => ({
      rows: await this.usage.rollup({ ...filters, since: new Date(since) }),
    }));
    this.rpc.serve(orchestratorRepoTrends, async ({ since, ...filters }) => ({
      rows: await this.trends.trends({ ...filters, since: new Date(since) }),
    }));
  }
}
