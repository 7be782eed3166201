import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { foundationModules } from '@horizon/runtime';
import { DATABASE, type Database } from '@horizon/db';
import { JetStreamConnection, RpcClient, RpcServer } from '@horizon/messaging';
import { SignInService } from './application/sign-in.service';
import { WorkReader } from './application/work-reader';
import { PullRequests } from './application/pull-requests';
import { publicUrl, webDir, type ConsoleConfig } from './config';
import { AccessGuard, WEB_OPTIONS, type WebOptions } from './http/access';
import { AdminController } from './http/admin.controller';
import { AuthController } from './http/auth.controller';
import { EventsController } from './http/events.controller';
import { WebAppController } from './http/web-app.controller';
import { WorkController } from './http/work.controller';
import { PullsController } from './http/pulls.controller';
import { LocalForge } from './forge/local-forge';
import { EventStream } from './messaging/event-stream';
import { SignInLinksResponder } from './messaging/sign-in-links.responder';
import { AuditRepository } from './persistence/audit.repository';
import { PeopleRepository } from './persistence/people.repository';

/**
 * The console's backend: signs people in, answers the app from the orchestrator's RPCs and the
 * `HZN_EVT` stream, and serves the built app. It writes no events (no outbox relay).
 */
@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig): DynamicModule {
    const origin = publicUrl(config);
    return {
      module: ConsoleModule,
      imports: [...foundationModules('console', config, { outboxRelay: false })],
      controllers: [
        AuthController,
        WorkController,
        EventsController,
        AdminController,
        WebAppController,
        PullsController,
      ],
      providers: [
        {
          provide: AuditRepository,
          inject: [DATABASE],
          useFactory: (db: Database) => new AuditRepository(db.prisma),
        },
        {
          provide: SignInService,
          inject: [DATABASE, AuditRepository],
          useFactory: (db: Database, audit: AuditRepository) =>
            new SignInService(new PeopleRepository(db.prisma), audit, {
              publicUrl: origin,
              sessionTtlMs: config.CONSOLE_SESSION_TTL_MS,
            }),
        },
        {
          provide: EventStream,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new EventStream(c),
        },
        {
          provide: WorkReader,
          inject: [RpcClient, EventStream],
          useFactory: (rpc: RpcClient, events: EventStream) => new WorkReader(rpc, events),
        },
        {
          provide: PullRequests,
          inject: [RpcClient, AuditRepository],
          useFactory: (rpc: RpcClient, audit: AuditRepository) =>
            new PullRequests(
              new LocalForge({
                url: config.FORGE_URL,
                token: config.FORGE_TOKEN,
                dataDir: config.HORIZON_DATA_DIR,
              }),
              rpc,
              audit,
            ),
        },
        {
          provide: SignInLinksResponder,
          inject: [RpcServer, SignInService],
          useFactory: (rpc: RpcServer, signIn: SignInService) => new SignInLinksResponder(rpc, signIn),
        },
        {
          provide: APP_GUARD,
          inject: [Reflector, SignInService],
          useFactory: (reflector: Reflector, signIn: SignInService) =>
            new AccessGuard(reflector, signIn, origin),
        },
        {
          provide: WEB_OPTIONS,
          useValue: {
            secureCookies: origin.startsWith('https:'),
            webDir: webDir(config),
          } satisfies WebOptions,
        },
      ],
    };
  }
}
