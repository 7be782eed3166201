import { orchestratorFrictionSummary, orchestratorSearchRunHistory } from '@horizon/contracts';
import type { FrictionGroup, FrictionKind, RunOutcome } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { RunMatch } from '../domain/records';
import { MAX_SOURCE_ITEMS, RunHistory } from './ports';

/** The most friction groups the orchestrator answers at once. */
const MAX_FRICTION_GROUPS = 200;

/**
 * Past runs, as the orchestrator that records them answers (`hzn.rpc.orchestrator.search_run_history`,
 * `hzn.rpc.orchestrator.friction_summary`).
 */
export class OrchestratorRunHistory implements RunHistory {
  constructor(private readonly rpc: RpcClient) {}

  async search(query: { text: string; repo?: string; outcome?: RunOutcome }): Promise<RunMatch[]> {
    const { matches } = await this.rpc.call(orchestratorSearchRunHistory, {
      text: query.text,
      ...(query.repo ? { repo: query.repo } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      limit: MAX_SOURCE_ITEMS,
    });
    return matches;
  }

  async friction(query: {
    since: Date;
    repo?: string;
    kind?: FrictionKind;
    minRuns?: number;
  }): Promise<FrictionGroup[]> {
    const { groups } = await this.rpc.call(orchestratorFrictionSummary, {
      since: query.since.toISOString(),
      ...(query.repo ? { repos: [query.repo] } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.minRuns ? { minRuns: query.minRuns } : {}),
      limit: MAX_FRICTION_GROUPS,
    });
    return groups;
  }
}
