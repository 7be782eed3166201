import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { orchestratorCreateRetro, orchestratorFrictionSummary } from '@horizon/contracts';
import { RpcError, RpcServer } from '@horizon/messaging';
import { RetroRequestError, RetroService } from '../application/retro.service';
import { RunFrictionRepository } from '../persistence/run-friction.repository';

/**
 * Answers `hzn.rpc.orchestrator.friction_summary` (the work API, the CLI and mcp-context read
 * papercuts here) and `create_retro` (a refusal travels as its code and message).
 */
@Injectable()
export class FrictionResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly friction: RunFrictionRepository,
    private readonly retros: RetroService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorFrictionSummary, async ({ since, minRuns, limit, ...filters }) => ({
      groups: await this.friction.summary({
        ...filters,
        since: new Date(since),
        minRuns: minRuns ?? 1,
        limit: limit ?? 50,
      }),
    }));
    this.rpc.serve(orchestratorCreateRetro, (request) =>
      this.retros.create(request).catch((err: unknown) => {
        if (err instanceof RetroRequestError) throw new RpcError(err.code, err.message);
        throw err;
      }),
    );
  }
}
