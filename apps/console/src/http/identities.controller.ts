import { Controller, Get } from '@nestjs/common';
import { identityList } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { mustAdminister } from '../application/people-admin.service';
import type { Viewer } from '../application/sign-in.service';
import type { IdentityList } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { refusals } from './admin.controller';

/**
 * People's linked accounts (GitHub, Linear, Slack, local ↔ a Horizon identity), as
 * identity-broker keeps them: asked over its RPC, never read from its tables. They span every
 * repository, so only an admin of every repository sees them.
 */
@Controller('api/admin/identities')
export class IdentitiesController {
  constructor(private readonly rpc: RpcClient) {}

  @Requires('admin')
  @Get()
  list(@CurrentViewer() viewer: Viewer): Promise<IdentityList> {
    return refusals(async () => {
      mustAdminister(viewer, '*');
      return this.rpc.call(identityList, {});
    });
  }
}
