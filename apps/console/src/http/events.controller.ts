import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LOGGER, type Logger } from '@horizon/observability';
import { WorkReader } from '../application/work-reader';
import type { Viewer } from '../application/sign-in.service';
import { EventStream } from '../messaging/event-stream';
import { CurrentViewer, Requires } from './access';
import { openEventStream } from './sse';

/**
 * `GET /api/events`: work-item and run events as Server-Sent Events, `id` the stream sequence.
 * A new page passes `?after=<streamSeq of its first query>`; the browser's reconnect sends
 * `Last-Event-ID`, which wins, so a dropped connection resumes exactly after the last event shown.
 */
@Controller('api')
export class EventsController {
  constructor(
    private readonly stream: EventStream,
    private readonly work: WorkReader,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Requires('viewer')
  @Get('events')
  async events(
    @CurrentViewer() viewer: Viewer,
    @Res() reply: FastifyReply,
    @Query('after') after?: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const from = position(lastEventId) ?? position(after) ?? 0;
    const repos = new Map<string, string>();
    // Events are written in stream order (a permission lookup must not let a later one
    // overtake), and only once the response has begun: they queue behind `begin`.
    let begin!: () => void;
    let queue = new Promise<void>((resolve) => (begin = resolve));
    const res = reply.raw;
    // Following starts before the response does, so a stream that cannot be read is an error
    // the browser sees (and retries), not a silent stream.
    const follower = await this.stream.follow(from, (event) => {
      queue = queue
        .then(async () => {
          if (res.writableEnded || !(await this.work.maySee(viewer, event, repos))) return;
          res.write(`id: ${event.seq}\nevent: horizon\ndata: ${JSON.stringify(event)}\n\n`);
        })
        .catch((err: Error) =>
          this.logger.warn({ err, seq: event.seq, personId: viewer.personId }, 'live event not sent'),
        );
    });
    openEventStream(reply, () => void follower.stop());
    begin();
  }
}

function position(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
