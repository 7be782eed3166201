import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EvidenceNotFound } from '../application/browser-evidence';
import { RunNotFound, RunReader } from '../application/run-reader';
import type { Viewer } from '../application/sign-in.service';
import type { RunPage } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';

const runId = () => new ParseUUIDPipe({ version: '4' });

/**
 * A run's page: what the orchestrator knows of it, the transcript and browser verification the
 * console kept; and the browser evidence files, to whoever may read the run.
 */
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunReader) {}

  @Requires('viewer')
  @Get(':id')
  run(@CurrentViewer() viewer: Viewer, @Param('id', runId()) id: string): Promise<RunPage> {
    return found(id, () => this.runs.run(viewer, id));
  }

  /** A screenshot, visual diff or DOM snapshot of the run; the headers say how it may be shown. */
  @Requires('viewer')
  @Get(':id/evidence/:artifactId')
  async evidence(
    @CurrentViewer() viewer: Viewer,
    @Param('id', runId()) id: string,
    @Param('artifactId', new ParseUUIDPipe()) artifactId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const file = await found(id, () => this.runs.evidence(viewer, id, artifactId));
    void reply.headers(file.headers);
    return Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  }
}

async function found<T>(id: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof RunNotFound)
      throw new NotFoundException(
        `no run ${id} that you may see (a run appears once its first event reached the console)`,
      );
    if (err instanceof EvidenceNotFound) throw new NotFoundException(err.message);
    throw err;
  }
}
