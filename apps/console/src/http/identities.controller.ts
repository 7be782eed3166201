import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { identityUnlink } from '@horizon/contracts';
import { IdentityLinks } from '../application/identity-links';
import type { Viewer } from '../application/sign-in.service';
import type { IdentityList } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { refusals } from './admin.controller';
import { parse } from './work.controller';

const account = identityUnlink.data.pick({ provider: true, externalId: true });

/**
 * People's linked accounts (GitHub, Linear, Slack, local ↔ a Horizon identity), as
 * identity-broker keeps them. Listing them is for admins of every repository; unlinking is open
 * to anyone signed in, and refused unless it is their own account or they are such an admin.
 */
@Controller('api')
export class IdentitiesController {
  constructor(private readonly links: IdentityLinks) {}

  @Requires('admin')
  @Get('admin/identities')
  list(@CurrentViewer() viewer: Viewer): Promise<IdentityList> {
    return refusals(() => this.links.list(viewer));
  }

  @Requires('viewer')
  @Post('identities/:id/unlink')
  @HttpCode(200)
  unlink(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
  ): Promise<IdentityList['identities'][number]> {
    return refusals(() => this.links.unlink(viewer, id, parse(account, body ?? {})));
  }
}
