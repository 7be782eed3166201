import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ConsoleStream } from './console-stream';

/** `GET /events`: the console's live stream as Server-Sent Events (one `notification` event per message). */
@Controller()
export class EventsController {
  constructor(@Inject(ConsoleStream) private readonly stream: ConsoleStream) {}

  @Get('events')
  events(@Res() reply: FastifyReply, @Headers('last-event-id') lastEventId?: string): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = this.stream.subscribe(
      (e) => res.write(`id: ${e.id}\nevent: notification\ndata: ${JSON.stringify(e)}\n\n`),
      lastEventId,
    );
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }
}
