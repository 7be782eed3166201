import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  ConflictException,
  BadRequestException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  fleetResultsCsv,
  orchestratorCancelFleet,
  orchestratorCreateFleet,
  orchestratorGetFleet,
  orchestratorListFleets,
  orchestratorRetryFleet,
} from '@horizon/contracts';
import type { DataOf, ReplyOf, RpcContract } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { askOrchestrator } from '../messaging/orchestrator-ask';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import type { AuthenticatedRequest } from './api-token.guard';
import { answerFromOrchestrator } from './orchestrator-answer';
import { parseInput } from './parse-input';
import { createFleetBody, fleetIdParam, fleetResultsQuery } from './fleets.schemas';

const refusals: Record<string, new (body: object) => Error> = {
  invalid_fleet: BadRequestException,
  not_found: NotFoundException,
  nothing_to_retry: ConflictException,
};

/** Fleets through the work API: the orchestrator owns them and answers each request over RPC. */
@Controller('api/v1/fleets')
@UseGuards(ApiTokenGuard)
export class FleetsController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('work:write')
  create(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { owner, ...fleet } = parseInput(createFleetBody, body, 'fleet');
    return this.ask(reply, orchestratorCreateFleet, {
      fleet,
      ownerId: owner,
      requestedBy: requester(request),
    });
  }

  @Get()
  @RequireScope('work:read')
  async list(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.ask(reply, orchestratorListFleets, {});
  }

  @Get(':id')
  @RequireScope('work:read')
  show(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.ask(reply, orchestratorGetFleet, { fleetId: parseInput(fleetIdParam, id, 'fleet id') });
  }

  /** The aggregated table, as JSON rows or CSV (a download). */
  @Get(':id/results')
  @RequireScope('work:read')
  async results(
    @Param('id') id: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const fleetId = parseInput(fleetIdParam, id, 'fleet id');
    const { format } = parseInput(fleetResultsQuery, query, 'query');
    const { children } = await this.ask(reply, orchestratorGetFleet, { fleetId });
    if (format === 'json') return children;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="fleet-${fleetId}.csv"`);
    return fleetResultsCsv(children);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScope('work:write')
  cancel(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const fleetId = parseInput(fleetIdParam, id, 'fleet id');
    return this.ask(reply, orchestratorCancelFleet, { fleetId, requestedBy: requester(request) });
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequireScope('work:write')
  retry(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const fleetId = parseInput(fleetIdParam, id, 'fleet id');
    return this.ask(reply, orchestratorRetryFleet, { fleetId, requestedBy: requester(request) });
  }

  private ask<C extends RpcContract>(reply: FastifyReply, contract: C, data: DataOf<C>): Promise<ReplyOf<C>> {
    return answerFromOrchestrator(
      reply,
      { what: 'fleets are', retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS, refusals },
      () => askOrchestrator(this.rpc, contract, data),
    );
  }
}

function requester(request: AuthenticatedRequest): string {
  return `api-token:${request.principal.tokenId}`;
}
