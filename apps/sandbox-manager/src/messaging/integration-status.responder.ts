import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { sandboxIntegrationStatus } from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import { checkModelProvider } from '../application/model-provider-probe';
import { modelProviderConfig, type SandboxManagerConfig } from '../config';
import { SANDBOX_MANAGER_CONFIG } from '../tokens';

/**
 * Answers `hzn.rpc.sandbox.integration_status` for the console's Settings: sandbox-manager holds
 * the model provider's settings (its egress proxy adds the key), so it says whether they work.
 */
@Injectable()
export class IntegrationStatusResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    @Inject(SANDBOX_MANAGER_CONFIG) private readonly config: SandboxManagerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(sandboxIntegrationStatus, async () => ({
      checks: [await checkModelProvider(modelProviderConfig(this.config))],
    }));
  }
}
