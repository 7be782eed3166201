import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ConsoleStream } from './console-stream';

export const EVENTS_TOKEN = Symbol('NOTIFIER_EVENTS_TOKEN');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /events`: the console channel's messages as Server-Sent Events (one `notification` event
 * per message), for a caller holding `NOTIFIER_EVENTS_TOKEN` as a bearer token; off without it.
 */
@Controller()
export class EventsController {
  constructor(
    @Inject(ConsoleStream) private readonly stream: ConsoleStream,
    @Inject(EVENTS_TOKEN) private readonly token: string | null,
  ) {}

  @Get('events')
  events(
    @Res() reply: FastifyReply,
    @Headers('authorization') authorization?: string,
    @Headers('last-event-id') lastEventId?: string,
  ): void {
    if (!this.token) {
      void reply.status(403).send({
        error: 'the event stream is off: set NOTIFIER_EVENTS_TOKEN and send it as a bearer token',
      });
      return;
    }
    const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!given || !sameSecret(given, this.token)) {
      void reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a bearer token (NOTIFIER_EVENTS_TOKEN) is required' });
      return;
    }
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
