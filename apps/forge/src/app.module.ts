import path from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE, DbModule } from '@horizon/db';
import type { Database } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import { ForgeController } from './api/forge.controller';
import { ActingUser, ForgeTokenGuard } from './api/http';
import { PullPageController } from './api/pull-page.controller';
import { forgeToken } from './auth';
import type { ForgeConfig } from './config';
import { ForgeEvents, ForgeUrls } from './domain/events';
import { ForgeService } from './forge.service';
import { BareRepositories } from './git/bare-repos';
import { GitHttpHost } from './git-http.host';
import { FORGE_CONFIG, FORGE_SECRET } from './tokens';

/** The local forge: bare git repositories over smart HTTP, pull requests in Postgres, events through the outbox. */
@Module({})
export class ForgeModule {
  static register(config: ForgeConfig): DynamicModule {
    const publicUrl = config.FORGE_PUBLIC_URL ?? `http://${config.FORGE_HOST}:${config.FORGE_PORT}`;
    return {
      module: ForgeModule,
      imports: [
        ObservabilityModule.forRoot('forge', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, schema: 'forge', relay: true }),
        MessagingModule.forRoot({
          natsUrl: config.NATS_URL,
          prefix: config.HZN_STREAM_PREFIX,
          name: 'forge',
        }),
      ],
      controllers: [ForgeController, PullPageController],
      providers: [
        { provide: FORGE_CONFIG, useValue: config },
        { provide: FORGE_SECRET, useFactory: () => forgeToken(config.FORGE_TOKEN, config.HORIZON_DATA_DIR) },
        {
          provide: BareRepositories,
          useValue: new BareRepositories(path.resolve(config.HORIZON_DATA_DIR, 'forge')),
        },
        {
          provide: ForgeService,
          inject: [DATABASE, BareRepositories],
          useFactory: (db: Database, repos: BareRepositories) =>
            new ForgeService(db.prisma, repos, new ForgeEvents(new ForgeUrls(publicUrl.replace(/\/$/, ''))), {
              requireApproval: config.FORGE_REQUIRE_APPROVAL,
            }),
        },
        ActingUser,
        ForgeTokenGuard,
        GitHttpHost,
      ],
    };
  }
}
