import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { frictionKindSchema } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import { z } from 'zod';
import { FrictionConsole, NothingToFix } from '../application/friction-console';
import type { Viewer } from '../application/sign-in.service';
import { NotPermitted } from '../application/work-reader';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const days = z.coerce.number().int().min(1).max(366);
const ago = (n: number) => new Date(Date.now() - n * 24 * 60 * 60_000);

const frictionQuery = z.strictObject({
  days: days.default(30),
  repo: z.string().min(1).optional(),
  kind: frictionKindSchema.optional(),
  minRuns: z.coerce.number().int().min(1).default(1),
});

const trendsQuery = z.strictObject({ days: days.default(90) });

const retroBody = z.strictObject({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
  days: days.default(7),
});

/** Papercuts across runs (viewers of the repositories) and retros on them (their members). */
@Controller('api')
export class FrictionController {
  constructor(private readonly friction: FrictionConsole) {}

  @Requires('viewer')
  @Get('friction')
  summary(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>) {
    const { days: back, ...filters } = parse(frictionQuery, query);
    return answer('reading friction', () => this.friction.summary(viewer, { ...filters, since: ago(back) }));
  }

  @Requires('viewer')
  @Get('trends')
  trends(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>) {
    const { days: back } = parse(trendsQuery, query);
    return answer('reading trends', () => this.friction.trends(viewer, ago(back)));
  }

  @Requires('member')
  @Post('retros')
  @HttpCode(201)
  startRetro(@CurrentViewer() viewer: Viewer, @Body() body: unknown) {
    const { repo, days: back } = parse(retroBody, body ?? {});
    return answer('starting a retro', () => this.friction.startRetro(viewer, { repo, since: ago(back) }));
  }
}

async function answer<T>(doing: string, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (err) {
    if (err instanceof NotPermitted)
      throw new ForbiddenException(
        `${doing} needs the member role in ${err.message}; ask an admin of the repository for it`,
      );
    if (err instanceof NothingToFix) throw new ConflictException(err.message);
    if (err instanceof RpcError && err.code === 'unavailable')
      throw new ServiceUnavailableException(
        `the orchestrator did not answer; try ${doing} again in a moment`,
      );
    throw err;
  }
}
