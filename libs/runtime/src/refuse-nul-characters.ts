import { BadRequestException, CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { findNulCharacter } from '@horizon/contracts';

/**
 * The HTTP APIs (`/api/…`) refuse input holding a NUL character, naming the field: Postgres
 * stores NUL in no text or jsonb column, so such input, once accepted, would fail wherever it
 * is written. An interceptor, so the route's guards answer first (a caller without a token
 * learns nothing about its input); webhooks and MCP take raw bodies and answer in their own way.
 */
export class RefuseNulCharacters implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith('/api/')) return next.handle();
    const parts = [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const;
    for (const [part, value] of parts) {
      const path = findNulCharacter(value);
      if (path !== undefined)
        throw new BadRequestException({
          error: `invalid ${part}`,
          issues: [{ path, message: 'holds a NUL character (U+0000), which cannot be stored: remove it' }],
        });
    }
    return next.handle();
  }
}
