import type { ForgeOpenPullRequestData, UsageRollupRow } from '@horizon/contracts';
import type { PullRequestRef } from '@horizon/integrations-github';
import type { HandlerOutcome } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import { onPullRequestOpened, summaryLines, verificationLines } from '../../domain/compose';
import { browserCheckRunNotice, checkRunNotice } from '../../domain/compose-github';
import { usageLine } from '../../domain/usage-line';
import type { Deliverer } from '../deliverer';
import type { RouteStore } from '../../persistence/delivery-store';

/**
 * Tells the work item's channels (Slack thread, Linear issue and agent session) that its PR is
 * open. The item moved to `in_review` when its run finished, before the PR existed, so that
 * state change carries no PR: the notifier, which opens it, is what knows it first.
 */
/** The item's model usage so far (the orchestrator's rollup), or null when it cannot say. */
export type ItemUsage = (workItemId: string) => Promise<UsageRollupRow | null>;

export class PullRequestAnnouncer {
  constructor(
    private readonly routes: RouteStore,
    private readonly deliverer: Deliverer,
    private readonly usage: ItemUsage,
  ) {}

  async announce(cmd: ForgeOpenPullRequestData, pr: PullRequestRef, logger: Logger): Promise<HandlerOutcome> {
    // Last: GitHub refusing a check run (an app without `checks`) must not hold the rest back.
    const push = { forge: cmd.forge, repo: cmd.repo, runId: cmd.runId, headSha: cmd.commitSha };
    const check = [
      ...checkRunNotice({ ...push, results: cmd.verification }),
      ...browserCheckRunNotice({ ...push, browser: cmd.browser }),
    ];
    const route = await this.routes.get(cmd.workItemId);
    if (!route) {
      logger.info({ workItemId: cmd.workItemId }, 'no route for this work item: its PR is announced nowhere');
      return this.deliverer.deliverAll(check, logger);
    }
    // The run's own numbers when its `run.finished` arrived first; else what the command says.
    const summary =
      route.lastRun?.outcome === 'succeeded'
        ? summaryLines(route.lastRun)
        : verificationLines(cmd.verification);
    // A summary without its cost is still worth sending: the orchestrator not answering only drops the line.
    const usage = await this.usage(cmd.workItemId).catch((err: Error) => {
      logger.warn(
        { err, workItemId: cmd.workItemId },
        'model usage unavailable: the PR summary goes without it',
      );
      return null;
    });
    if (usage) summary.push(usageLine(usage));
    const pull = { repo: cmd.repo, number: pr.number, url: pr.url };
    return this.deliverer.deliverAll([...onPullRequestOpened(route, pull, summary), ...check], logger);
  }
}
