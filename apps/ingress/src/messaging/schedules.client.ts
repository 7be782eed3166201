import {
  orchestratorCreateSchedule,
  orchestratorDeleteSchedule,
  orchestratorListSchedules,
  orchestratorSetSchedulePaused,
} from '@horizon/contracts';
import type { DataOf, ReplyOf, RpcContract } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { askOrchestrator } from './orchestrator-ask';

/** Schedules as the orchestrator, which owns them, manages them (`hzn.rpc.orchestrator.*_schedule(s)`). */
export class ScheduleClient {
  constructor(private readonly rpc: Pick<RpcClient, 'call'>) {}

  create(data: DataOf<typeof orchestratorCreateSchedule>) {
    return this.ask(orchestratorCreateSchedule, data);
  }

  list(repo: string | undefined) {
    return this.ask(orchestratorListSchedules, repo === undefined ? {} : { repo });
  }

  setPaused(data: DataOf<typeof orchestratorSetSchedulePaused>) {
    return this.ask(orchestratorSetSchedulePaused, data);
  }

  delete(data: DataOf<typeof orchestratorDeleteSchedule>) {
    return this.ask(orchestratorDeleteSchedule, data);
  }

  private ask<C extends RpcContract>(contract: C, data: DataOf<C>): Promise<ReplyOf<C>> {
    return askOrchestrator(this.rpc, contract, data);
  }
}
