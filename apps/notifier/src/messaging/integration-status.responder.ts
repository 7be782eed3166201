import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { notifierIntegrationStatus } from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import { checkNotifierIntegrations, type NotifierIntegrations } from '../application/integration-probes';

/**
 * Answers `hzn.rpc.notifier.integration_status` for the console's Settings: the notifier owns
 * its Slack, Linear and forge settings, so it is the one that says whether they work.
 */
@Injectable()
export class IntegrationStatusResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly integrations: NotifierIntegrations,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(notifierIntegrationStatus, async () => ({
      checks: await checkNotifierIntegrations(this.integrations),
    }));
  }
}
