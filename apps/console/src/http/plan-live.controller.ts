import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { PlanService } from '../application/plan.service';
import type { Viewer } from '../application/sign-in.service';
import { PlanPresence } from '../messaging/plan-presence';
import { CurrentViewer, Requires } from './access';
import { openEventStream } from './sse';
import { answer } from './plans.controller';
import { parse } from './work.controller';

const presenceBody = z.strictObject({ editingItemId: z.string().uuid().nullable() });
const id = new ParseUUIDPipe({ version: '4' });

/**
 * Who is on a draft and its new versions, live. Viewers count too: presence says who is looking,
 * and the item someone is editing. The browser sends `POST …/presence` every ~10 s while open.
 */
@Controller('api/plans')
export class PlanLiveController {
  constructor(
    private readonly plans: PlanService,
    private readonly presence: PlanPresence,
  ) {}

  @Requires('viewer')
  @Post(':id/presence')
  @HttpCode(204)
  async here(
    @CurrentViewer() viewer: Viewer,
    @Param('id', id) draftId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const { editingItemId } = parse(presenceBody, body);
    await answer(() => this.plans.get(viewer, draftId));
    this.presence.heartbeat(draftId, { personId: viewer.personId, name: viewer.name }, editingItemId);
  }

  /** `GET /api/plans/:id/live`: Server-Sent Events `presence` and `changed` (see PlanLiveEvent). */
  @Requires('viewer')
  @Get(':id/live')
  async live(
    @CurrentViewer() viewer: Viewer,
    @Param('id', id) draftId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(() => this.plans.get(viewer, draftId));
    let stop = () => {};
    const res = openEventStream(reply, () => stop());
    stop = this.presence.watch(draftId, viewer.personId, (event) => {
      if (!res.writableEnded) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
  }
}
