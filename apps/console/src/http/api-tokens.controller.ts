import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ingressCreateApiToken } from '@horizon/contracts';
import { ApiTokensAdmin } from '../application/api-tokens-admin';
import type { Viewer } from '../application/sign-in.service';
import type { ApiTokenList, ApiTokenSummary, CreatedApiToken } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { refusals } from './admin.controller';
import { parse } from './work.controller';

/** Work API tokens, kept by ingress: listed, created (shown once) and revoked by admins of `*`. */
@Controller('api/admin/api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensAdmin) {}

  @Requires('admin')
  @Get()
  async list(@CurrentViewer() viewer: Viewer): Promise<ApiTokenList> {
    return { tokens: await refusals(() => this.tokens.list(viewer)) };
  }

  @Requires('admin')
  @Post()
  create(@CurrentViewer() viewer: Viewer, @Body() body: unknown): Promise<CreatedApiToken> {
    return refusals(() => this.tokens.create(viewer, parse(ingressCreateApiToken.data, body ?? {})));
  }

  @Requires('admin')
  @Post(':id/revoke')
  revoke(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ApiTokenSummary> {
    return refusals(() => this.tokens.revoke(viewer, id));
  }
}
