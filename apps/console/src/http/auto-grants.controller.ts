import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { AutoGrants, autoGrantRequest } from '../application/auto-grants';
import type { Viewer } from '../application/sign-in.service';
import type { AutoGrantView } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { refusals } from './admin.controller';
import { parse } from './work.controller';

/** Settings' auto-grant rules: roles for first sign-ins by verified email domain (admins of `*`). */
@Controller('api/admin/auto-grants')
export class AutoGrantsController {
  constructor(private readonly autoGrants: AutoGrants) {}

  @Requires('admin')
  @Get()
  list(@CurrentViewer() viewer: Viewer): Promise<AutoGrantView[]> {
    return refusals(() => this.autoGrants.list(viewer));
  }

  @Requires('admin')
  @Post()
  add(@CurrentViewer() viewer: Viewer, @Body() body: unknown): Promise<AutoGrantView> {
    return refusals(() => this.autoGrants.add(viewer, parse(autoGrantRequest, body ?? {})));
  }

  @Requires('admin')
  @Post(':id/delete')
  @HttpCode(204)
  async remove(@CurrentViewer() viewer: Viewer, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await refusals(() => this.autoGrants.remove(viewer, id));
  }
}
