import {
  BadRequestException,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  ServiceUnavailableException,
  Body,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { fleetRequestSchema } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import type { Viewer } from '../application/sign-in.service';
import { FleetNotFound, FleetRefused, FleetsConsole } from '../application/fleets-console';
import { NotPermitted } from '../application/work-reader';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const fleetId = () => new ParseUUIDPipe({ version: '4' });

/**
 * Fleets: viewers see those with a child in a repository of theirs; members of every repository
 * a fleet touches create, cancel and retry it (docs/fleets.md, "In the console").
 */
@Controller('api/fleets')
export class FleetsController {
  constructor(private readonly fleets: FleetsConsole) {}

  @Requires('viewer')
  @Get()
  list(@CurrentViewer() viewer: Viewer) {
    return answer('listing fleets', () => this.fleets.list(viewer));
  }

  @Requires('viewer')
  @Get(':id')
  show(@CurrentViewer() viewer: Viewer, @Param('id', fleetId()) id: string) {
    return answer('reading the fleet', () => this.fleets.get(viewer, id));
  }

  /** The results table as a CSV download (the children the person may see). */
  @Requires('viewer')
  @Get(':id/results.csv')
  async results(
    @CurrentViewer() viewer: Viewer,
    @Param('id', fleetId()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = await answer('exporting the fleet', () => this.fleets.resultsCsv(viewer, id));
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="fleet-${id}.csv"`);
    return csv;
  }

  @Requires('member')
  @Post()
  @HttpCode(201)
  create(@CurrentViewer() viewer: Viewer, @Body() body: unknown) {
    const request = parse(fleetRequestSchema, body ?? {});
    return answer('creating the fleet', () => this.fleets.create(viewer, request));
  }

  @Requires('member')
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentViewer() viewer: Viewer, @Param('id', fleetId()) id: string) {
    return answer('cancelling the fleet', () => this.fleets.cancel(viewer, id));
  }

  @Requires('member')
  @Post(':id/retry')
  @HttpCode(200)
  retry(@CurrentViewer() viewer: Viewer, @Param('id', fleetId()) id: string) {
    return answer('retrying the fleet', () => this.fleets.retry(viewer, id));
  }
}

async function answer<T>(doing: string, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (err) {
    if (err instanceof FleetNotFound) throw new NotFoundException(`no fleet ${err.message} that you may see`);
    if (err instanceof NotPermitted)
      throw new ForbiddenException(
        `${doing} needs the member role in ${err.message}; ask an admin of the repository for it`,
      );
    if (err instanceof FleetRefused)
      throw err.code === 'invalid_fleet'
        ? new BadRequestException(err.message)
        : new ConflictException(err.message);
    if (err instanceof RpcError && err.code === 'unavailable')
      throw new ServiceUnavailableException(
        `the orchestrator did not answer; try ${doing} again in a moment`,
      );
    throw err;
  }
}
