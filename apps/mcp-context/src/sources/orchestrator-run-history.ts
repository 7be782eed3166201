import { orchestratorSearchRunHistory } from '@horizon/contracts';
import type { RunOutcome } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { RunMatch } from '../domain/records';
import { MAX_SOURCE_ITEMS, RunHistory } from './ports';

/** Past runs, searched by the orchestrator that records them (`hzn.rpc.orchestrator.search_run_history`). */
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
}
