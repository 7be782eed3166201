import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
} from '@nestjs/common';
import { workItemKindSchema, workItemStateSchema } from '@horizon/contracts';
import { z } from 'zod';
import { NotPermitted, WorkItemNotFound, WorkReader } from '../application/work-reader';
import type { Viewer } from '../application/sign-in.service';
import type { BoardView, GraphView, WorkItemPage } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';

const boardQuery = z.object({
  state: workItemStateSchema.optional(),
  kind: workItemKindSchema.optional(),
  repo: z.string().min(1).optional(),
  owner: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
});

const graphQuery = z
  .object({ parentId: z.string().uuid().optional(), repo: z.string().min(1).optional() })
  .refine((q) => Boolean(q.parentId) !== Boolean(q.repo), {
    message: 'give exactly one of parentId or repo',
  });

/** Reads of Horizon's work: the board, one item, a dependency graph. */
@Controller('api')
export class WorkController {
  constructor(private readonly work: WorkReader) {}

  @Requires('viewer')
  @Get('work-items')
  board(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>): Promise<BoardView> {
    return this.work.board(viewer, parse(boardQuery, query));
  }

  @Requires('viewer')
  @Get('work-items/:id')
  async item(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
  ): Promise<WorkItemPage> {
    try {
      return await this.work.item(viewer, id);
    } catch (err) {
      if (err instanceof WorkItemNotFound) throw new NotFoundException(`no work item ${id} that you may see`);
      throw err;
    }
  }

  @Requires('viewer')
  @Get('graph')
  async graph(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>): Promise<GraphView> {
    try {
      return await this.work.graph(viewer, parse(graphQuery, query));
    } catch (err) {
      if (err instanceof NotPermitted) throw new ForbiddenException(`you have no role in ${err.message}`);
      throw err;
    }
  }
}

/** A query string checked against its schema, or 400 naming each bad parameter. */
export function parse<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw new BadRequestException(
    result.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; '),
  );
}
