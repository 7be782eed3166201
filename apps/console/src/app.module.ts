import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { foundationModules } from '@horizon/runtime';
import { DATABASE, type Database } from '@horizon/db';
import { ArtifactStore, JetStreamConnection, Publisher, RpcClient, RpcServer } from '@horizon/messaging';
import { PeopleAdmin } from './application/people-admin.service';
import { RunReader } from './application/run-reader';
import { BrowserEvidence } from './application/browser-evidence';
import { SignInService } from './application/sign-in.service';
import { Steering } from './application/steering';
import { FleetsConsole } from './application/fleets-console';
import { WorkReader } from './application/work-reader';
import { PullRequests } from './application/pull-requests';
import { publicUrl, webDir, type ConsoleConfig } from './config';
import { AccessGuard, WEB_OPTIONS, type WebOptions } from './http/access';
import { AdminController } from './http/admin.controller';
import { ApiTokensController } from './http/api-tokens.controller';
import { ApiTokensAdmin } from './application/api-tokens-admin';
import { IdentityLinks } from './application/identity-links';
import { AutoGrants } from './application/auto-grants';
import { AutoGrantRepository } from './persistence/auto-grants.repository';
import { AutoGrantsController } from './http/auto-grants.controller';
import { IntegrationsStatus } from './application/integrations-status';
import { IntegrationsController } from './http/integrations.controller';
import { IdentitiesController } from './http/identities.controller';
import { RepositoriesController } from './http/repositories.controller';
import { RepositoriesAdmin } from './application/repositories-admin';
import { AuthController } from './http/auth.controller';
import { ProviderSignInController } from './http/provider-sign-in.controller';
import { ProviderSignIn } from './application/provider-sign-in.service';
import { EventsController } from './http/events.controller';
import { WebAppController } from './http/web-app.controller';
import { RunsController } from './http/runs.controller';
import { SteeringController } from './http/steering.controller';
import { WorkController } from './http/work.controller';
import { PullsController } from './http/pulls.controller';
import { LocalForge } from './forge/local-forge';
import { EventStream } from './messaging/event-stream';
import { RunEventsConsumer } from './messaging/run-events.consumer';
import { RunEvidenceConsumer } from './messaging/run-evidence.consumer';
import { PlanProposalsConsumer } from './messaging/plan-proposals.consumer';
import { PlanProposalIntake } from './application/plan-proposals';
import { SignInLinksResponder } from './messaging/sign-in-links.responder';
import { AuditRepository } from './persistence/audit.repository';
import { UsageReader } from './application/usage-reader';
import { UsageController } from './http/usage.controller';
import { FrictionController } from './http/friction.controller';
import { FrictionConsole } from './application/friction-console';
import { FleetsController } from './http/fleets.controller';
import { PeopleRepository } from './persistence/people.repository';
import { RunTranscriptsRepository } from './persistence/run-transcripts.repository';
import { RunEvidenceRepository } from './persistence/run-evidence.repository';
import { PlanService } from './application/plan.service';
import { PlanLiveController } from './http/plan-live.controller';
import { PlansController } from './http/plans.controller';
import { PlanPresence } from './messaging/plan-presence';
import { PlanRepository } from './persistence/plan.repository';

/** Every controller the console serves: its access tests walk their routes. */
export const CONSOLE_CONTROLLERS = [
  AuthController,
  ProviderSignInController,
  WorkController,
  EventsController,
  AdminController,
  ApiTokensController,
  IntegrationsController,
  IdentitiesController,
  AutoGrantsController,
  RepositoriesController,
  WebAppController,
  RunsController,
  SteeringController,
  PullsController,
  PlansController,
  PlanLiveController,
  UsageController,
  FrictionController,
  FleetsController,
];

/**
 * The console's backend: signs people in, answers the app from the orchestrator's RPCs and the
 * `HZN_EVT` stream, keeps its own read model of runs' transcripts and browser evidence (served
 * from the artifact store), and serves the built app. It keeps no outbox: a member's
 * cancellation goes through ingress's RPC, and the one message it sends itself, a started
 * plan's work item requests, goes straight to HZN_INGRESS as ingress's do.
 */
@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig): DynamicModule {
    const origin = publicUrl(config);
    return {
      module: ConsoleModule,
      imports: [...foundationModules('console', config, { outboxRelay: false })],
      controllers: CONSOLE_CONTROLLERS,
      providers: [
        {
          provide: AuditRepository,
          inject: [DATABASE],
          useFactory: (db: Database) => new AuditRepository(db.prisma),
        },
        {
          provide: PeopleRepository,
          inject: [DATABASE],
          useFactory: (db: Database) => new PeopleRepository(db.prisma),
        },
        {
          provide: SignInService,
          inject: [PeopleRepository, AuditRepository],
          useFactory: (people: PeopleRepository, audit: AuditRepository) =>
            new SignInService(people, audit, {
              publicUrl: origin,
              sessionTtlMs: config.CONSOLE_SESSION_TTL_MS,
            }),
        },
        {
          provide: AutoGrants,
          inject: [DATABASE, PeopleRepository, AuditRepository],
          useFactory: (db: Database, people: PeopleRepository, audit: AuditRepository) =>
            new AutoGrants(new AutoGrantRepository(db.prisma), people, audit),
        },
        {
          provide: ProviderSignIn,
          inject: [RpcClient, PeopleRepository, AuditRepository, SignInService, AutoGrants],
          useFactory: (
            rpc: RpcClient,
            people: PeopleRepository,
            audit: AuditRepository,
            signIn: SignInService,
            autoGrants: AutoGrants,
          ) => new ProviderSignIn(rpc, people, audit, signIn, autoGrants, origin),
        },
        {
          provide: PeopleAdmin,
          inject: [PeopleRepository, SignInService, AuditRepository],
          useFactory: (people: PeopleRepository, signIn: SignInService, audit: AuditRepository) =>
            new PeopleAdmin(people, signIn, audit),
        },
        {
          provide: ApiTokensAdmin,
          inject: [RpcClient, AuditRepository],
          useFactory: (rpc: RpcClient, audit: AuditRepository) => new ApiTokensAdmin(rpc, audit),
        },
        {
          provide: IdentityLinks,
          inject: [RpcClient, PeopleRepository, AuditRepository],
          useFactory: (rpc: RpcClient, people: PeopleRepository, audit: AuditRepository) =>
            new IdentityLinks(rpc, people, audit),
        },
        {
          provide: RepositoriesAdmin,
          inject: [RpcClient, PeopleAdmin],
          useFactory: (rpc: RpcClient, people: PeopleAdmin) => new RepositoriesAdmin(rpc, people),
        },
        {
          provide: IntegrationsStatus,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => new IntegrationsStatus(rpc),
        },
        {
          provide: EventStream,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new EventStream(c),
        },
        { provide: UsageReader, inject: [RpcClient], useFactory: (rpc: RpcClient) => new UsageReader(rpc) },
        {
          provide: WorkReader,
          inject: [RpcClient, EventStream],
          useFactory: (rpc: RpcClient, events: EventStream) => new WorkReader(rpc, events),
        },
        {
          provide: RunTranscriptsRepository,
          inject: [DATABASE],
          useFactory: (db: Database) => new RunTranscriptsRepository(db.prisma),
        },
        RunEventsConsumer,
        {
          provide: BrowserEvidence,
          inject: [DATABASE, JetStreamConnection],
          useFactory: (db: Database, c: JetStreamConnection) =>
            new BrowserEvidence(new RunEvidenceRepository(db.prisma), new ArtifactStore(c)),
        },
        RunEvidenceConsumer,
        {
          provide: RunReader,
          inject: [RpcClient, EventStream, RunTranscriptsRepository, BrowserEvidence],
          useFactory: (
            rpc: RpcClient,
            events: EventStream,
            transcripts: RunTranscriptsRepository,
            browser: BrowserEvidence,
          ) => new RunReader(rpc, events, transcripts, browser),
        },
        {
          provide: FleetsConsole,
          inject: [RpcClient, AuditRepository, PeopleRepository],
          useFactory: (rpc: RpcClient, audit: AuditRepository, people: PeopleRepository) =>
            new FleetsConsole(rpc, audit, (personId) => people.identityOf(personId)),
        },
        {
          provide: FrictionConsole,
          inject: [RpcClient, AuditRepository, PeopleRepository],
          useFactory: (rpc: RpcClient, audit: AuditRepository, people: PeopleRepository) =>
            new FrictionConsole(rpc, audit, (personId) => people.identityOf(personId)),
        },
        {
          provide: Steering,
          inject: [RpcClient, AuditRepository, PeopleRepository],
          useFactory: (rpc: RpcClient, audit: AuditRepository, people: PeopleRepository) =>
            new Steering(rpc, audit, (personId) => people.identityOf(personId)),
        },
        {
          provide: PullRequests,
          inject: [RpcClient, AuditRepository, EventStream],
          useFactory: (rpc: RpcClient, audit: AuditRepository, events: EventStream) =>
            new PullRequests(
              new LocalForge({
                url: config.FORGE_URL,
                token: config.FORGE_TOKEN,
                dataDir: config.HORIZON_DATA_DIR,
              }),
              rpc,
              audit,
              events,
            ),
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
          provide: PlanProposalIntake,
          inject: [DATABASE, AuditRepository, PlanPresence],
          useFactory: (db: Database, audit: AuditRepository, presence: PlanPresence) =>
            new PlanProposalIntake(new PlanRepository(db.prisma), audit, presence),
        },
        PlanProposalsConsumer,
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
