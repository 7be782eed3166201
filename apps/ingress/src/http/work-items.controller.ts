import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  ServiceUnavailableException,
  NotFoundException,
  ConflictException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  Contract,
  DataOf,
  type WorkItemState,
  apiWorkItemBudgetAnswer,
  apiWorkItemCancel,
  apiWorkItemCreate,
  apiWorkItemStart,
  envelopeFor,
  withHarnessLabel,
} from '@horizon/contracts';
import { JetStreamEnvelopePublisher } from '../messaging/jetstream-publisher';
import { idFor } from './idempotency-key';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import type { AuthenticatedRequest } from './api-token.guard';
import { workApiOpenApi } from './openapi';
import { parseInput as parse } from './parse-input';
import {
  InvalidCursorError,
  WorkItemReader,
  WorkItemsUnavailableError,
} from '../messaging/work-items.reader';
import {
  budgetAnswerBody,
  cancelWorkItemBody,
  createWorkItemBody,
  listWorkItemsQuery,
  startWorkItemBody,
  workItemIdParam,
} from './work-items.schemas';

@Controller('api/v1')
export class OpenApiController {
  private readonly document = workApiOpenApi();

  @Get('openapi.json')
  openapi() {
    return this.document;
  }
}

/** The work API: requests become ingress events; reads are answered by the orchestrator over RPC. */
@Controller('api/v1/work-items')
@UseGuards(ApiTokenGuard)
export class WorkItemsController {
  constructor(
    private readonly publisher: JetStreamEnvelopePublisher,
    private readonly reader: WorkItemReader,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScope('work:write')
  async create(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    const input = parse(createWorkItemBody, body, 'work item');
    const { principal } = request;
    const workItemId = idFor(principal.tokenId, idempotencyKey);
    const { owner, harness, ...rest } = input;
    const status = await this.publish(reply, apiWorkItemCreate, workItemId, {
      ...rest,
      // As a label, the way every source records it, so the orchestrator decides in one place.
      labels: harness ? withHarnessLabel(rest.labels, harness) : rest.labels,
      ownerId: owner,
      workItemId,
      requestedBy: `api-token:${principal.tokenId}`,
      delivery: this.delivery(workItemId, 'work_item_create'),
    });
    void reply.header('location', `/api/v1/work-items/${workItemId}`);
    return { id: workItemId, status };
  }

  @Get()
  @RequireScope('work:read')
  async list(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const parsed = parse(listWorkItemsQuery, query, 'query');
    return this.read(reply, () => this.reader.list(parsed));
  }

  @Get(':id')
  @RequireScope('work:read')
  async show(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const workItemId = parse(workItemIdParam, id, 'work item id');
    const item = await this.read(reply, () => this.reader.find(workItemId));
    if (!item)
      throw new NotFoundException({
        error: 'no such work item (a just-requested one appears once the orchestrator has taken it)',
      });
    return item;
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @RequireScope('work:write')
  async cancel(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workItemId = parse(workItemIdParam, id, 'work item id');
    const { reason } = parse(cancelWorkItemBody, body ?? {}, 'cancellation');
    const deliveryId = randomUUID();
    const status = await this.publish(reply, apiWorkItemCancel, deliveryId, {
      workItemId,
      reason,
      requestedBy: `api-token:${request.principal.tokenId}`,
      delivery: this.delivery(deliveryId, 'work_item_cancel'),
    });
    return { id: workItemId, status };
  }

  /**
   * The answer to an item waiting at a budget: `continue` with more (dollars, tokens) or `stop`.
   * An API token is an admin's (only an admin of every repository may create one), so it may
   * answer for any item; 409 when the item is not waiting at a budget.
   */
  @Post(':id/budget')
  @HttpCode(202)
  @RequireScope('work:write')
  async answerBudget(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workItemId = parse(workItemIdParam, id, 'work item id');
    const answer = parse(budgetAnswerBody, body ?? {}, 'budget answer');
    await this.itemIn(reply, workItemId, 'waiting', 'waiting at a budget: there is nothing to answer');
    const deliveryId = randomUUID();
    const status = await this.publish(reply, apiWorkItemBudgetAnswer, deliveryId, {
      workItemId,
      action: answer.action,
      extra: {
        tokens: answer.extraTokens ?? null,
        costUsd: answer.extraUsd ?? null,
        minutes: answer.extraMinutes ?? null,
      },
      requestedBy: `api-token:${request.principal.tokenId}`,
      delivery: this.delivery(deliveryId, 'work_item_budget_answer'),
    });
    return { id: workItemId, status };
  }

  /**
   * Starts a planned item (a retro's proposal, one created with `autoStart: false`): it is
   * queued, and the scheduler runs it. 409 when it is not planned; the orchestrator decides the
   * event the same way again, so a start racing another is audited there and changes nothing.
   */
  @Post(':id/start')
  @HttpCode(202)
  @RequireScope('work:write')
  async start(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workItemId = parse(workItemIdParam, id, 'work item id');
    parse(startWorkItemBody, body ?? {}, 'start');
    await this.itemIn(reply, workItemId, 'planned', 'planned: only a planned item waits to be started');
    const deliveryId = randomUUID();
    const status = await this.publish(reply, apiWorkItemStart, deliveryId, {
      workItemId,
      requestedBy: `api-token:${request.principal.tokenId}`,
      delivery: this.delivery(deliveryId, 'work_item_start'),
    });
    return { id: workItemId, status };
  }

  /**
   * A request that only fits an item in one state reads it first, so the caller hears at once
   * what the orchestrator would only audit: 404 for an unknown item, 409 naming its state.
   */
  private async itemIn(
    reply: FastifyReply,
    workItemId: string,
    state: WorkItemState,
    expected: string,
  ): Promise<void> {
    const item = await this.read(reply, () => this.reader.find(workItemId));
    if (!item) throw new NotFoundException({ error: 'no such work item' });
    if (item.state !== state)
      throw new ConflictException({ error: `the work item is ${item.state}, not ${expected}` });
  }

  private delivery(deliveryId: string, event: string) {
    return { source: 'api' as const, deliveryId, event, action: null, receivedAt: new Date().toISOString() };
  }

  /** A read the orchestrator answers: 400 for a cursor it did not issue, 503 with Retry-After while it does not answer. */
  private async read<T>(reply: FastifyReply, answer: () => Promise<T>): Promise<T> {
    try {
      return await answer();
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException({ error: error.message });
      if (!(error instanceof WorkItemsUnavailableError)) throw error;
      void reply.header('retry-after', String(this.config.INGRESS_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException({
        error: `work items are unavailable: ${error.message}; retry later`,
      });
    }
  }

  /** 2xx only once JetStream holds the event; 503 with Retry-After otherwise. */
  private async publish<C extends Contract>(
    reply: FastifyReply,
    contract: C,
    deliveryId: string,
    data: DataOf<C>,
  ): Promise<'accepted' | 'duplicate'> {
    const envelope = envelopeFor(contract, data, { source: 'ingress', id: `api:${deliveryId}` });
    try {
      const { duplicate } = await this.publisher.publish(envelope);
      return duplicate ? 'duplicate' : 'accepted';
    } catch {
      void reply.header('retry-after', String(this.config.INGRESS_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException({ error: 'temporarily unavailable, retry later' });
    }
  }
}
