import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { z } from 'zod';
import { harnessNameSchema } from '@horizon/contracts';
import {
  PlanAgentNotAsked,
  PlanConflictError,
  PlanNotFound,
  PlanNotPermitted,
  PlanService,
  PlanStartFailed,
} from '../application/plan.service';
import type { Viewer } from '../application/sign-in.service';
import { PlanRuleBroken } from '../domain/plan';
import type {
  PlanConflict,
  PlanDraftView,
  PlanEditRequest,
  PlanListView,
  PlanStartRequest,
  PlanStarted,
} from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const repo = z.string().regex(/^[^/\s*]+\/[^/\s]+$/, 'owner/name');
const title = z.string().trim().min(1).max(200);
const brief = z.string().max(20_000);
const itemFields = z.strictObject({
  title,
  description: z.string().max(20_000).default(''),
  acceptanceCriteria: z.string().max(20_000).default(''),
  blockedBy: z.array(z.string().uuid()).max(25).default([]),
});
const version = z.number().int().min(1);

const createBody = z.strictObject({ repo, title, brief: brief.default('') });
const editBody: z.ZodType<PlanEditRequest> = z.discriminatedUnion('kind', [
  z.strictObject({ version, kind: z.literal('details'), title: title.optional(), brief: brief.optional() }),
  z.strictObject({ version, kind: z.literal('add_item'), item: itemFields }),
  z.strictObject({
    version,
    kind: z.literal('update_item'),
    itemId: z.string().uuid(),
    changes: itemFields.partial(),
  }),
  z.strictObject({ version, kind: z.literal('remove_item'), itemId: z.string().uuid() }),
]);
/** The PM agent: only the version the person saw. */
const pmAgentBody = z.strictObject({ version });
/** Start: the version the person saw, and the harness they picked (absent: the repository's). */
const startBody: z.ZodType<PlanStartRequest> = z.strictObject({
  version,
  harness: harnessNameSchema.optional(),
});
const id = new ParseUUIDPipe({ version: '4' });

/**
 * Plan drafts: reading needs a role in the draft's repository, writing the member role there
 * (the route asks for member somewhere, the service checks the draft's repository).
 */
@Controller('api/plans')
export class PlansController {
  constructor(private readonly plans: PlanService) {}

  @Requires('viewer')
  @Get()
  list(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>): Promise<PlanListView> {
    return this.plans.list(viewer, parse(z.object({ repo: repo.optional() }), query).repo);
  }

  @Requires('member')
  @Post()
  create(@CurrentViewer() viewer: Viewer, @Body() body: unknown): Promise<PlanDraftView> {
    return answer(() => this.plans.create(viewer, parse(createBody, body)));
  }

  @Requires('viewer')
  @Get(':id')
  get(@CurrentViewer() viewer: Viewer, @Param('id', id) draftId: string): Promise<PlanDraftView> {
    return answer(() => this.plans.get(viewer, draftId));
  }

  @Requires('member')
  @Patch(':id')
  edit(
    @CurrentViewer() viewer: Viewer,
    @Param('id', id) draftId: string,
    @Body() body: unknown,
  ): Promise<PlanDraftView> {
    return answer(() => this.plans.edit(viewer, draftId, parse(editBody, body)));
  }

  @Requires('member')
  @Post(':id/start')
  @HttpCode(200)
  start(
    @CurrentViewer() viewer: Viewer,
    @Param('id', id) draftId: string,
    @Body() body: unknown,
  ): Promise<PlanStarted> {
    const { version, harness } = parse(startBody, body);
    return answer(() => this.plans.start(viewer, draftId, version, harness));
  }

  /** Asks the PM agent to plan the brief; its proposal will replace the draft's items. */
  @Requires('member')
  @Post(':id/pm-agent')
  @HttpCode(202)
  runPmAgent(
    @CurrentViewer() viewer: Viewer,
    @Param('id', id) draftId: string,
    @Body() body: unknown,
  ): Promise<PlanDraftView> {
    return answer(() => this.plans.runPmAgent(viewer, draftId, parse(pmAgentBody, body).version));
  }
}

/** The service's refusals as HTTP answers; a 409 carries the draft as it is now. */
export async function answer<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PlanNotFound) throw new NotFoundException(`no plan ${err.message} that you may see`);
    if (err instanceof PlanNotPermitted) throw new ForbiddenException(err.message);
    if (err instanceof PlanRuleBroken) throw new BadRequestException(err.message);
    if (err instanceof PlanStartFailed || err instanceof PlanAgentNotAsked)
      throw new ServiceUnavailableException(err.message);
    if (err instanceof PlanConflictError)
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: err.message,
        current: err.current,
      } satisfies PlanConflict);
    throw err;
  }
}
