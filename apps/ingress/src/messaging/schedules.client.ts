import {
  orchestratorCreateSchedule,
  orchestratorDeleteSchedule,
  orchestratorListSchedules,
  orchestratorSetSchedulePaused,
} from '@horizon/contracts';
import type { DataOf, ReplyOf, RpcContract } from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';

/** The orchestrator refused the request; `code` is its reason (invalid_schedule, schedule_exists, not_found, config_owned). */
export class ScheduleRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The orchestrator did not answer: the caller may retry later. */
export class SchedulesUnavailableError extends Error {}

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

  private async ask<C extends RpcContract>(contract: C, data: DataOf<C>): Promise<ReplyOf<C>> {
    try {
      return await this.rpc.call(contract, data);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      if (err.code === 'unavailable' || err.code === 'internal')
        throw new SchedulesUnavailableError(err.message);
      // The client prefixes the subject; the caller is told the orchestrator's own words.
      throw new ScheduleRefusedError(err.code, err.message.replace(`${contract.subject}: `, ''));
    }
  }
}
