import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { LOGGER, ReadinessRegistry, type Logger } from '@horizon/observability';
import { probeHost, type HostProbe } from '@horizon/sandbox';
import { SandboxService } from './sandbox.service';
import { SANDBOX_MANAGER_CONFIG } from '../tokens';
import type { SandboxManagerConfig } from '../config';

/** The `sandbox-host` readiness check: fails naming every isolation primitive the host lacks. */
export function sandboxHostCheck(probe: () => Promise<Pick<HostProbe, 'problems'>>) {
  return {
    name: 'sandbox-host',
    check: async () => {
      const { problems } = await probe();
      if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join('; '));
    },
  };
}

/**
 * Start: records of sandboxes that did not survive are failed, the host check is registered,
 * and the snapshot refresh timer runs. Stop: no sandbox outlives the process unrecorded.
 */
@Injectable()
export class SandboxLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<unknown> | null = null;

  constructor(
    private readonly sandboxes: SandboxService,
    private readonly readiness: ReadinessRegistry,
    @Inject(SANDBOX_MANAGER_CONFIG) private readonly config: SandboxManagerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.readiness.register(sandboxHostCheck(() => probeHost(this.config.SANDBOX_HOST_UID)));
    const failed = await this.sandboxes.reconcile();
    if (failed > 0) this.logger.warn({ failed }, 'sandboxes lost in a restart were marked failed');
    this.timer = setInterval(() => this.refreshSnapshots(), this.config.SNAPSHOT_REFRESH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
    const failed = await this.sandboxes.shutdown();
    if (failed > 0) this.logger.info({ failed }, 'sandboxes destroyed on shutdown');
  }

  private refreshSnapshots(): void {
    if (this.refreshing) return;
    this.refreshing = this.sandboxes
      .refreshAllSnapshots((series, err) => this.logger.error({ err, ...series }, 'snapshot refresh failed'))
      .then((results) => {
        const built = results.filter((result) => result.built);
        if (built.length > 0) this.logger.info({ built: built.length }, 'snapshots rebuilt');
      })
      .catch((err: Error) => this.logger.error({ err }, 'snapshot refresh failed'))
      .finally(() => (this.refreshing = null));
  }
}
