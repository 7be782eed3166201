import { foundationModules } from '@horizon/runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { Database, DATABASE } from '@horizon/db';
import { createLinearTracker } from '@horizon/integrations-linear';
import type { TrackerPort } from '@horizon/integrations-linear';
import { createSlackChat, createSlackViews } from '@horizon/integrations-slack';
import { Publisher, RpcClient, RpcServer } from '@horizon/messaging';
import { orchestratorUsageRollup } from '@horizon/contracts';
import { IntegrationStatusResponder } from './messaging/integration-status.responder';
import { BudgetModalResponder } from './messaging/budget-modal.responder';
import type { z } from 'zod';
import { consoleSender, linearSender, slackSender } from './application/channels';
import type { configShape } from './config';
import { ConsoleStream } from './http/console-stream';
import {
  ForgeCommandConsumer,
  LifecycleEventConsumer,
  NotifyCommandConsumer,
  TrackerCommandConsumer,
} from './messaging/consumers';
import { Deliverer, Senders } from './application/deliverer';
import { DeliveryStore, RouteStore } from './persistence/delivery-store';
import { EVENTS_TOKEN, EventsController } from './http/events.controller';
import { CONTINUE_EXTRA } from './messaging/consumers';
import { IdentityGitHubAccess } from './application/pull-requests/github-access';
import { githubSender } from './application/pull-requests/github-sender';
import { LocalForgeAccess } from './application/pull-requests/local-access';
import { PullRequestAnnouncer } from './application/pull-requests/pull-request-announcer';
import { ForgeAccesses, PullRequestDelivery } from './application/pull-requests/pull-request-delivery';
import { FleetLinksDelivery } from './application/pull-requests/fleet-links';
import { MergeConflictFinder } from './application/pull-requests/merge-conflicts';
import { OwnerDirectory } from './application/owners/owner-directory';
import { PlannedIssuesDelivery } from './application/tracker/planned-issues-delivery';
import { BrowserEvidenceLinks } from './application/browser-evidence';
import { BrowserEvidenceStore } from './persistence/browser-evidence-store';

/** The Linear tracker (`TrackerPort`), or null when `LINEAR_ACCESS_TOKEN` is unset. */
const LINEAR_TRACKER = Symbol('LINEAR_TRACKER');
const FORGE_ACCESSES = Symbol('FORGE_ACCESSES');

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Notifier: delivers events to Slack, Linear and the console's live stream; opens runs' pull requests. */
@Module({})
export class NotifierModule {
  static register(config: Config): DynamicModule {
    return {
      module: NotifierModule,
      imports: [...foundationModules('notifier', config, { outboxRelay: false })],
      controllers: [EventsController],
      providers: [
        ConsoleStream,
        { provide: EVENTS_TOKEN, useValue: config.NOTIFIER_EVENTS_TOKEN ?? null },
        {
          provide: CONTINUE_EXTRA,
          useValue: {
            usd: config.BUDGET_CONTINUE_EXTRA_USD,
            tokens: config.BUDGET_CONTINUE_EXTRA_TOKENS,
            minutes: config.BUDGET_CONTINUE_EXTRA_MINUTES,
          },
        },
        {
          provide: IntegrationStatusResponder,
          inject: [RpcServer],
          useFactory: (rpc: RpcServer) =>
            new IntegrationStatusResponder(rpc, {
              slack: { token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL },
              linear: { token: config.LINEAR_ACCESS_TOKEN, apiUrl: config.LINEAR_API_URL },
              forge: { url: config.FORGE_URL, token: config.FORGE_TOKEN, dataDir: config.HORIZON_DATA_DIR },
            }),
        },
        {
          provide: BudgetModalResponder,
          inject: [RpcServer],
          useFactory: (rpc: RpcServer) =>
            new BudgetModalResponder(
              rpc,
              config.SLACK_BOT_TOKEN
                ? createSlackViews({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL })
                : null,
            ),
        },
        { provide: RouteStore, inject: [DATABASE], useFactory: (db: Database) => new RouteStore(db.pool) },
        {
          provide: BrowserEvidenceLinks,
          inject: [DATABASE],
          useFactory: (db: Database) =>
            new BrowserEvidenceLinks(
              new BrowserEvidenceStore(db.pool),
              config.CONSOLE_PUBLIC_URL ?? 'http://127.0.0.1:8050',
            ),
        },
        {
          provide: OwnerDirectory,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => new OwnerDirectory(rpc),
        },
        {
          provide: LINEAR_TRACKER,
          useFactory: (): TrackerPort | null =>
            config.LINEAR_ACCESS_TOKEN
              ? createLinearTracker({
                  accessToken: config.LINEAR_ACCESS_TOKEN,
                  apiUrl: config.LINEAR_API_URL,
                })
              : null,
        },
        {
          provide: FORGE_ACCESSES,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient): ForgeAccesses => ({
            github: new IdentityGitHubAccess(rpc, config.GITHUB_API_URL),
            local: new LocalForgeAccess(rpc, {
              url: config.FORGE_URL,
              token: config.FORGE_TOKEN,
              dataDir: config.HORIZON_DATA_DIR,
            }),
          }),
        },
        {
          provide: Deliverer,
          inject: [DATABASE, ConsoleStream, LINEAR_TRACKER, FORGE_ACCESSES],
          useFactory: (
            db: Database,
            stream: ConsoleStream,
            tracker: TrackerPort | null,
            forges: ForgeAccesses,
          ) => {
            const senders: Senders = { console: consoleSender(stream), github: githubSender(forges) };
            if (config.SLACK_BOT_TOKEN)
              senders.slack = slackSender(
                createSlackChat({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL }),
              );
            if (tracker) senders.linear = linearSender(tracker);
            return new Deliverer(new DeliveryStore(db.pool), senders);
          },
        },
        {
          provide: PlannedIssuesDelivery,
          inject: [DATABASE, Deliverer, LINEAR_TRACKER],
          useFactory: (db: Database, deliverer: Deliverer, tracker: TrackerPort | null) =>
            new PlannedIssuesDelivery(new DeliveryStore(db.pool), deliverer, tracker),
        },
        {
          provide: FleetLinksDelivery,
          inject: [FORGE_ACCESSES],
          useFactory: (forges: ForgeAccesses) => new FleetLinksDelivery(forges),
        },
        {
          provide: MergeConflictFinder,
          inject: [FORGE_ACCESSES, Publisher],
          useFactory: (forges: ForgeAccesses, publisher: Publisher) =>
            new MergeConflictFinder(forges.github, publisher),
        },
        {
          provide: PullRequestDelivery,
          inject: [DATABASE, FORGE_ACCESSES, RouteStore, Deliverer, LINEAR_TRACKER, RpcClient],
          useFactory: (
            db: Database,
            forges: ForgeAccesses,
            routes: RouteStore,
            deliverer: Deliverer,
            tracker: TrackerPort | null,
            rpc: RpcClient,
          ) =>
            new PullRequestDelivery(
              new DeliveryStore(db.pool),
              forges,
              new PullRequestAnnouncer(routes, deliverer, async (workItemId) => {
                const { rows } = await rpc.call(
                  orchestratorUsageRollup,
                  { by: 'item', since: new Date(0).toISOString(), workItemId },
                  // The PR is open already: its announcement waits for no slow answer.
                  { timeoutMs: 2000 },
                );
                return rows[0] ?? null;
              }),
              tracker,
            ),
        },
        NotifyCommandConsumer,
        ForgeCommandConsumer,
        TrackerCommandConsumer,
        LifecycleEventConsumer,
      ],
    };
  }
}
