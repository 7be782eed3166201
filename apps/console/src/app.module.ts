import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { foundationModules } from '@horizon/runtime';
import { DATABASE, type Database } from '@horizon/db';
import { JetStreamConnection, Publisher, RpcClient, RpcServer } from '@horizon/messaging';
import { SignInService } from './application/sign-in.service';
import { WorkReader } from './application/work-reader';
import { publicUrl, webDir, type ConsoleConfig } from './config';
import { AccessGuard, WEB_OPTIONS, type WebOptions } from './http/access';
import { AdminController } from './http/admin.controller';
import { AuthController } from './http/auth.controller';
import { EventsController } from './http/events.controller';
import { WebAppController } from './http/web-app.controller';
import { WorkController } from './http/work.controller';
import { EventStream } from './messaging/event-stream';
import { SignInLinksResponder } from './messaging/sign-in-links.responder';
import { AuditRepository } from './persistence/audit.repository';
import { PeopleRepository } from './persistence/people.repository';
import { PlanService } from './application/plan.service';
import { PlanLiveController } from './http/plan-live.controller';
import { PlansController } from './http/plans.controller';
import { PlanPresence } from './messaging/plan-presence';
import { PlanRepository } from './persistence/plan.repository';

/**
 * The console's backend: signs people in, answers the app from the orchestrator's RPCs and the
 * `HZN_EVT` stream, and serves the built app. It keeps no outbox: the one message it sends,
 * a started plan's work item requests, goes straight to HZN_INGRESS as ingress's do.
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
        PlansController,
        PlanLiveController,
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
          provide: SignInLinksResponder,
          inject: [RpcServer, SignInService],
          useFactory: (rpc: RpcServer, signIn: SignInService) => new SignInLinksResponder(rpc, signIn),
        },
        {
          provide: PlanPresence,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new PlanPresence(c, config.CONSOLE_PRESENCE_TIMEOUT_MS),
        },
        {
          provide: PlanService,
          inject: [DATABASE, AuditRepository, PlanPresence, JetStreamConnection],
          // Publishes straight to HZN_INGRESS (no outbox): a start that fails to send reopens the draft.
          useFactory: (
            db: Database,
            audit: AuditRepository,
            presence: PlanPresence,
            c: JetStreamConnection,
          ) => new PlanService(new PlanRepository(db.prisma), audit, presence, new Publisher(c)),
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
