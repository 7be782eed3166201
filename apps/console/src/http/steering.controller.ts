import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { budgetActionSchema } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import { z } from 'zod';
import type { Viewer } from '../application/sign-in.service';
import { NotNow, Steering } from '../application/steering';
import { NotPermitted, WorkItemNotFound } from '../application/work-reader';
import { FOLLOW_UP_MAX_CHARS, type SteeringAccepted } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const cancelBody = z.strictObject({
  reason: z.string().trim().min(1).max(2000).default('cancelled in the console'),
});
const followUpBody = z.strictObject({
  text: z
    .string({ error: 'text: write what the agent should know' })
    .trim()
    .min(1, 'write what the agent should know; an empty message is not sent')
    .max(FOLLOW_UP_MAX_CHARS, `at most ${FOLLOW_UP_MAX_CHARS} characters; shorten it or send it in parts`),
});
/** Retry and Start choose nothing: an empty object, or no body. */
const noBody = z.strictObject({});
const budgetBody = z
  .strictObject({
    action: budgetActionSchema,
    extraUsd: z.number().positive().optional(),
    extraTokens: z.number().int().positive().optional(),
    extraMinutes: z.number().int().positive().optional(),
  })
  .refine(
    (b) =>
      b.action === 'stop' ||
      b.extraUsd !== undefined ||
      b.extraTokens !== undefined ||
      b.extraMinutes !== undefined,
    { message: 'continue needs extraUsd, extraTokens or extraMinutes: how much more it may spend' },
  );

const itemId = () => new ParseUUIDPipe({ version: '4' });

/**
 * What members do to work in flight, in the item's repository. Each answers 202 once the request
 * is on the bus: what it changes (a state, a transcript line) follows on the live stream.
 */
@Controller('api/work-items')
export class SteeringController {
  constructor(private readonly steering: Steering) {}

  /** The item's `state_changed` to `cancelled` follows. */
  @Requires('member')
  @Post(':id/cancel')
  @HttpCode(202)
  cancel(
    @CurrentViewer() viewer: Viewer,
    @Param('id', itemId()) id: string,
    @Body() body: unknown,
  ): Promise<SteeringAccepted> {
    const { reason } = parse(cancelBody, body ?? {});
    return answer(id, 'cancelling', () => this.steering.cancel(viewer, id, reason));
  }

  /** The person's words go to the agent; the run's transcript shows them once the runner has them. */
  @Requires('member')
  @Post(':id/follow-ups')
  @HttpCode(202)
  followUp(
    @CurrentViewer() viewer: Viewer,
    @Param('id', itemId()) id: string,
    @Body() body: unknown,
  ): Promise<SteeringAccepted> {
    const { text } = parse(followUpBody, body ?? {});
    return answer(id, 'writing to the agent', () => this.steering.followUp(viewer, id, text));
  }

  /** The owner's (or an admin's) Continue / Stop for an item waiting at a budget; its state change follows. */
  @Requires('member')
  @Post(':id/budget')
  @HttpCode(202)
  answerBudget(
    @CurrentViewer() viewer: Viewer,
    @Param('id', itemId()) id: string,
    @Body() body: unknown,
  ): Promise<SteeringAccepted> {
    const { action, extraUsd, extraTokens, extraMinutes } = parse(budgetBody, body ?? {});
    const extra = { tokens: extraTokens ?? null, costUsd: extraUsd ?? null, minutes: extraMinutes ?? null };
    return answer(id, 'answering its budget', () => this.steering.answerBudget(viewer, id, action, extra));
  }

  /** The item's `state_changed` to `queued` follows, then a new run. */
  @Requires('member')
  @Post(':id/retry')
  @HttpCode(202)
  retry(
    @CurrentViewer() viewer: Viewer,
    @Param('id', itemId()) id: string,
    @Body() body: unknown,
  ): Promise<SteeringAccepted> {
    parse(noBody, body ?? {});
    return answer(id, 'retrying', () => this.steering.retry(viewer, id));
  }

  /** A planned item: its `state_changed` to `queued` follows, then its run. */
  @Requires('member')
  @Post(':id/start')
  @HttpCode(202)
  start(
    @CurrentViewer() viewer: Viewer,
    @Param('id', itemId()) id: string,
    @Body() body: unknown,
  ): Promise<SteeringAccepted> {
    parse(noBody, body ?? {});
    return answer(id, 'starting', () => this.steering.start(viewer, id));
  }
}

/** The use case's refusals as HTTP answers that say what failed and what to do. */
async function answer(
  id: string,
  doing: string,
  act: () => Promise<SteeringAccepted>,
): Promise<SteeringAccepted> {
  try {
    return await act();
  } catch (err) {
    if (err instanceof WorkItemNotFound) throw new NotFoundException(`no work item ${id} that you may see`);
    if (err instanceof NotPermitted)
      throw new ForbiddenException(
        `${doing} needs the member role in ${err.message}; ask an admin of the repository for it`,
      );
    if (err instanceof NotNow) throw new ConflictException(err.message);
    if (err instanceof RpcError && err.code === 'unavailable')
      throw new ServiceUnavailableException(
        `Horizon could not take the request now (ingress did not answer); try ${doing} again in a moment`,
      );
    throw err;
  }
}
