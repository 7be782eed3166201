import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  orchestratorCreateSchedule,
  orchestratorDeleteSchedule,
  orchestratorListSchedules,
  orchestratorSetSchedulePaused,
} from '@horizon/contracts';
import { RpcError, RpcServer } from '@horizon/messaging';
import { ScheduleRequestError, ScheduleService } from '../application/schedule.service';

/** A refusal the caller can act on travels as its code and message; anything else is an outage. */
function refusals<T>(answer: Promise<T>): Promise<T> {
  return answer.catch((err: unknown) => {
    if (err instanceof ScheduleRequestError) throw new RpcError(err.code, err.message);
    throw err;
  });
}

/** Answers the schedule RPCs (`hzn.rpc.orchestrator.*_schedule(s)`): ingress's work API and the CLI manage schedules through them. */
@Injectable()
export class SchedulesResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly schedules: ScheduleService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorCreateSchedule, (request) => refusals(this.schedules.create(request)));
    this.rpc.serve(orchestratorListSchedules, async ({ repo }) => ({
      schedules: await this.schedules.list(repo),
    }));
    this.rpc.serve(orchestratorSetSchedulePaused, ({ scheduleId, paused }) =>
      refusals(this.schedules.setPaused(scheduleId, paused)),
    );
    this.rpc.serve(orchestratorDeleteSchedule, ({ scheduleId }) =>
      refusals(this.schedules.delete(scheduleId).then(() => ({ id: scheduleId, deleted: true as const }))),
    );
  }
}
