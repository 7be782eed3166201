import path from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import { CheckRunService } from './application/check-run.service';
import { DeliveryReplayService } from './application/delivery-replay.service';
import { LabelService } from './application/label.service';
import { MergeReadiness } from './application/merge-readiness';
import { PullRequestFinder } from './application/pull-request-finder';
import { PullRequestMerger } from './application/pull-request-merger';
import { PullRequestService } from './application/pull-request.service';
import { RepositoryService } from './application/repository.service';
import { ReviewService } from './application/review.service';
import { FORGE_CONFIG, forgeToken } from './config';
import type { ForgeConfig } from './config';
import { ForgeEvents, ForgeUrls } from './domain/events';
import { BareRepositories } from './git/bare-repos';
import { DeliveriesController } from './http/deliveries.controller';
import { ForgeApiController } from './http/forge-api.controller';
import { GitHttpHost } from './http/git-http.host';
import { ActingUser, ForgeTokenGuard } from './http/http-support';
import { PullPageController } from './http/pull-page.controller';
import { FORGE_SECRET } from './http/tokens';
import { CheckRunRepository } from './persistence/check-run.repository';
import { CommentRepository } from './persistence/comment.repository';
import { EventOutbox } from './persistence/event-outbox';
import { LabelRepository } from './persistence/label.repository';
import { PullRequestRepository } from './persistence/pull-request.repository';
import { RepoRepository } from './persistence/repo.repository';
import { ReviewRepository } from './persistence/review.repository';
import { ForgeTransactions } from './persistence/transactions';

/**
 * The local forge: bare git repositories over smart HTTP, pull requests in Postgres, events
 * through its own outbox and relay.
 */
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
      controllers: [ForgeApiController, PullPageController, DeliveriesController],
      providers: [
        { provide: FORGE_CONFIG, useValue: config },
        { provide: FORGE_SECRET, useFactory: () => forgeToken(config.FORGE_TOKEN, config.HORIZON_DATA_DIR) },
        {
          provide: BareRepositories,
          useValue: new BareRepositories(path.resolve(config.HORIZON_DATA_DIR, 'forge')),
        },
        { provide: ForgeEvents, useValue: new ForgeEvents(new ForgeUrls(publicUrl.replace(/\/$/, ''))) },
        RepoRepository,
        PullRequestRepository,
        ReviewRepository,
        CommentRepository,
        CheckRunRepository,
        LabelRepository,
        EventOutbox,
        ForgeTransactions,
        PullRequestFinder,
        MergeReadiness,
        RepositoryService,
        PullRequestService,
        ReviewService,
        PullRequestMerger,
        CheckRunService,
        LabelService,
        DeliveryReplayService,
        ActingUser,
        ForgeTokenGuard,
        GitHttpHost,
      ],
    };
  }
}
