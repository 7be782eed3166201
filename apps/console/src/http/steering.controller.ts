import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { RpcError } from '@horizon/messaging';
import { z } from 'zod';
import type { Viewer } from '../application/sign-in.service';
import { Steering } from '../application/steering';
import { NotPermitted, WorkItemNotFound } from '../application/work-reader';
import type { CancelAccepted } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const cancelBody = z.strictObject({
  reason: z.string().trim().min(1).max(2000).default('cancelled in the console'),
});

/** What members do to work in flight, in the item's repository. */
@Controller('api/work-items')
export class SteeringController {
  constructor(private readonly steering: Steering) {}

  /** 202: the request is on the bus; the item's `state_changed` to `cancelled` follows on the live stream. */
  @Requires('member')
  @Post(':id/cancel')
  @HttpCode(202)
  async cancel(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: unknown,
  ): Promise<CancelAccepted> {
    const { reason } = parse(cancelBody, body ?? {});
    try {
      return await this.steering.cancel(viewer, id, reason);
    } catch (err) {
      if (err instanceof WorkItemNotFound) throw new NotFoundException(`no work item ${id} that you may see`);
      if (err instanceof NotPermitted)
        throw new ForbiddenException(
          `cancelling needs the member role in ${err.message}; ask an admin of the repository for it`,
        );
      if (err instanceof RpcError && err.code === 'unavailable')
        throw new ServiceUnavailableException(
          'Horizon could not take the cancellation now (ingress did not answer); try again in a moment',
        );
      throw err;
    }
  }
}
