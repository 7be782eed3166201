import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  orchestratorCancelFleet,
  orchestratorCreateFleet,
  orchestratorGetFleet,
  orchestratorListFleets,
  orchestratorRetryFleet,
} from '@horizon/contracts';
import { RpcError, RpcServer } from '@horizon/messaging';
import { FleetRequestError, FleetService } from '../application/fleet.service';

/** A refusal the caller can act on travels as its code and message; anything else is an outage. */
function refusals<T>(answer: Promise<T>): Promise<T> {
  return answer.catch((err: unknown) => {
    if (err instanceof FleetRequestError) throw new RpcError(err.code, err.message);
    throw err;
  });
}

/** Answers the fleet RPCs (`hzn.rpc.orchestrator.*_fleet(s)`): ingress's work API and the CLI manage fleets through them. */
@Injectable()
export class FleetsResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly fleets: FleetService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorCreateFleet, (request) => refusals(this.fleets.create(request)));
    this.rpc.serve(orchestratorListFleets, async () => ({ fleets: await this.fleets.list() }));
    this.rpc.serve(orchestratorGetFleet, ({ fleetId }) => refusals(this.fleets.get(fleetId)));
    this.rpc.serve(orchestratorCancelFleet, ({ fleetId, requestedBy }) =>
      refusals(this.fleets.cancel(fleetId, requestedBy)),
    );
    this.rpc.serve(orchestratorRetryFleet, ({ fleetId, requestedBy }) =>
      refusals(this.fleets.retry(fleetId, requestedBy)),
    );
  }
}
