import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { RunNotFound, RunReader } from '../application/run-reader';
import type { Viewer } from '../application/sign-in.service';
import type { RunPage } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';

/** A run's page: what the orchestrator knows of it and the transcript the console kept. */
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunReader) {}

  @Requires('viewer')
  @Get(':id')
  async run(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
  ): Promise<RunPage> {
    try {
      return await this.runs.run(viewer, id);
    } catch (err) {
      if (err instanceof RunNotFound)
        throw new NotFoundException(
          `no run ${id} that you may see (a run appears once its first event reached the console)`,
        );
      throw err;
    }
  }
}
