import { Controller, Get } from '@nestjs/common';
import { IntegrationsStatus } from '../application/integrations-status';
import type { IntegrationsView } from '../shared/console-api';
import { Requires } from './access';

/** Whether GitHub, Linear, Slack, the model provider and the local forge are configured and answering. */
@Controller('api/admin/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsStatus) {}

  /** Each call probes afresh (the owners' probes are cheap and short): the page's Refresh. */
  @Requires('admin')
  @Get()
  status(): Promise<IntegrationsView> {
    return this.integrations.check();
  }
}
