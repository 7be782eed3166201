import { foundationModules } from '@horizon/runtime';
import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { RpcServer } from '@horizon/messaging';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { IdentityBroker } from './application/identity-broker';
import type { IdentityBrokerConfig } from './config';
import { loadKeyring } from '@horizon/keyring';
import { serveIdentityRpcs } from './messaging/identity-rpc.responder';

const CONFIG = Symbol('hzn:identity-broker-config');

/** Serves the broker's RPCs once the app is up, and runs the token refresher on its interval. */
@Injectable()
class IdentityBrokerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private refresher: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: IdentityBrokerConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rpc: RpcServer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const keyring = loadKeyring(this.config, (message) => this.logger.warn(message));
    const broker = await IdentityBroker.create(this.config, this.db.prisma, keyring, this.logger);
    serveIdentityRpcs(this.rpc, broker);
    this.logger.info({ keyId: keyring.currentKeyId, keys: keyring.keyIds.length }, 'identity RPCs served');
    this.refresher = setInterval(() => {
      broker.userTokens
        .refreshExpiring()
        .catch((err: Error) => this.logger.error({ err }, 'token refresh sweep failed'));
    }, this.config.IDENTITY_REFRESH_INTERVAL_MS);
    this.refresher.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresher);
  }
}

/** Identity-broker: identities, links and encrypted credentials; short-lived tokens. */
@Module({})
export class IdentityBrokerModule {
  static register(config: IdentityBrokerConfig): DynamicModule {
    return {
      module: IdentityBrokerModule,
      imports: [...foundationModules('identity-broker', config, { outboxRelay: false })],
      providers: [{ provide: CONFIG, useValue: config }, IdentityBrokerHost],
    };
  }
}
