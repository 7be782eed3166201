import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
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
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ScheduleClient } from '../messaging/schedules.client';
import { answerFromOrchestrator } from './orchestrator-answer';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import type { AuthenticatedRequest } from './api-token.guard';
import { parseInput as parseRequest } from './parse-input';
import { createScheduleBody, listSchedulesQuery, scheduleIdParam } from './schedules.schemas';

/** The status each refusal of the orchestrator answers with. */
const refusalStatus: Record<string, new (body: object) => Error> = {
  invalid_schedule: BadRequestException,
  schedule_exists: ConflictException,
  config_owned: ConflictException,
  not_found: NotFoundException,
};

/** Schedules through the work API: each request is answered by the orchestrator, which owns them, over RPC. */
@Controller('api/v1/schedules')
@UseGuards(ApiTokenGuard)
export class SchedulesController {
  constructor(
    private readonly schedules: ScheduleClient,
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
    const { repo, owner, ...schedule } = parseRequest(createScheduleBody, body, 'schedule');
    return this.answer(reply, () =>
      this.schedules.create({ repo, schedule, ownerId: owner, requestedBy: requester(request) }),
    );
  }

  @Get()
  @RequireScope('work:read')
  list(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { repo } = parseRequest(listSchedulesQuery, query, 'query');
    return this.answer(reply, () => this.schedules.list(repo));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequireScope('work:write')
  pause(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.setPaused(id, true, request, reply);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScope('work:write')
  resume(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.setPaused(id, false, request, reply);
  }

  @Delete(':id')
  @RequireScope('work:write')
  remove(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const scheduleId = parseRequest(scheduleIdParam, id, 'schedule id');
    return this.answer(reply, () => this.schedules.delete({ scheduleId, requestedBy: requester(request) }));
  }

  private setPaused(id: string, paused: boolean, request: AuthenticatedRequest, reply: FastifyReply) {
    const scheduleId = parseRequest(scheduleIdParam, id, 'schedule id');
    return this.answer(reply, () =>
      this.schedules.setPaused({ scheduleId, paused, requestedBy: requester(request) }),
    );
  }

  private answer<T>(reply: FastifyReply, ask: () => Promise<T>): Promise<T> {
    return answerFromOrchestrator(
      reply,
      {
        what: 'schedules are',
        retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS,
        refusals: refusalStatus,
      },
      ask,
    );
  }
}

function requester(request: AuthenticatedRequest): string {
  return `api-token:${request.principal.tokenId}`;
}
