import type { ForgeOpenPullRequestData } from '@horizon/contracts';
import { openAttributedPullRequest } from '@horizon/integrations-github';
import type { PullRequestRef, RepoName } from '@horizon/integrations-github';
import type { TrackerPort } from '@horizon/integrations-linear';
import { HandlerOutcome, Outcome, RpcError } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { DeliveryStore } from '../../persistence/delivery-store';
import type { ForgeAccess, PullRequestLookup } from './github-access';
import { classifyGitHubError } from './github-errors';
import { ForgeNotConfigured } from './local-access';
import type { PullRequestAnnouncer } from './pull-request-announcer';

/** The delivery record of a run's pull request: one per work item and head branch. */
export const pullRequestDeliveryKey = (workItemId: string, head: string) => `pr:${workItemId}:${head}`;

/** RPC answers from identity-broker that no retry changes. */
const FINAL_RPC_CODES = new Set(['not_configured', 'invalid_request']);

/** How to reach each forge a command can name. */
export type ForgeAccesses = Record<ForgeOpenPullRequestData['forge'], ForgeAccess>;

/**
 * Opens a run's pull request once, on the forge the command names (GitHub or the local forge,
 * both behind the `ForgePort`). The delivery record (`pr:<workItemId>:<head>`) is claimed
 * first; then an open PR for the head is looked for, so a crash between GitHub's answer and the
 * record never opens a second one; then the PR is opened in the owner's name, and announced
 * where the work item reports. The record is settled only once the announcement is delivered or
 * refused: one that can be retried is retried with the command, which then finds the PR open.
 */
export class PullRequestDelivery {
  constructor(
    private readonly store: DeliveryStore,
    private readonly forges: ForgeAccesses,
    private readonly announcer?: PullRequestAnnouncer,
    private readonly tracker?: TrackerPort | null,
  ) {}

  /** `browserCheck`: the run's browser check for the PR body (markdown), when it had one. */
  async open(cmd: ForgeOpenPullRequestData, logger: Logger, browserCheck?: string): Promise<HandlerOutcome> {
    const dedupeKey = pullRequestDeliveryKey(cmd.workItemId, cmd.head);
    const claim = await this.store.claim({
      channel: 'github',
      target: { forge: cmd.forge, repo: cmd.repo, head: cmd.head },
      dedupeKey,
    });
    if (claim.kind === 'done') return Outcome.ack();
    if (claim.kind === 'busy') return Outcome.retry(`delivery ${dedupeKey} is in progress elsewhere`, 1000);
    const [owner, name] = cmd.repo.split('/') as [string, string];
    const repo: RepoName = { owner, repo: name };
    let lookup: PullRequestLookup | undefined;
    try {
      const session = await this.forges[cmd.forge].session(cmd);
      lookup = session.lookup;
      const existing = await lookup.findOpen(repo, cmd.head);
      if (existing) return this.done(cmd, dedupeKey, existing, logger, 'pull request already open');
      const opened = await openAttributedPullRequest({
        appForge: session.appForge,
        ...(session.ownerForge ? { ownerForge: session.ownerForge } : {}),
        repo,
        head: cmd.head,
        base: cmd.base,
        title: cmd.title,
        body: {
          summary: cmd.body,
          verification: cmd.verification,
          ...(browserCheck ? { browserCheck } : {}),
          owner: session.owner,
          ...(cmd.trackerIssue ? { trackerIssue: await this.trackerIssueOf(cmd, logger) } : {}),
        },
      });
      logger.info(
        { authoredBy: opened.authoredBy, reviewersRequested: opened.reviewersRequested },
        'pull request authored',
      );
      return this.done(cmd, dedupeKey, opened.pullRequest, logger, 'pull request opened');
    } catch (err) {
      return this.failed(cmd, dedupeKey, err, repo, cmd.head, lookup, logger);
    }
  }

  /**
   * Items Horizon planned into Linear know only their issue's id (the issue was created after
   * them): its identifier and URL are read from Linear so the PR links it. Linear being
   * unreachable costs the link, not the pull request.
   */
  private async trackerIssueOf(
    cmd: ForgeOpenPullRequestData,
    logger: Logger,
  ): Promise<{ identifier?: string; url?: string; title?: string }> {
    const known = cmd.trackerIssue ?? {};
    if (known.url || !known.id || !this.tracker) return known;
    try {
      const issue = await this.tracker.findIssue(known.id);
      return issue ? { identifier: issue.identifier, url: issue.url, title: issue.title } : known;
    } catch (err) {
      logger.warn(
        { issueId: known.id, err: (err as Error).message },
        'tracker issue not read: the PR does not link it',
      );
      return known;
    }
  }

  private async done(
    cmd: ForgeOpenPullRequestData,
    dedupeKey: string,
    pr: PullRequestRef,
    logger: Logger,
    what: string,
  ): Promise<HandlerOutcome> {
    logger.info({ dedupeKey, number: pr.number, url: pr.url, author: pr.author }, what);
    const announced = this.announcer ? await this.announcer.announce(cmd, pr, logger) : Outcome.ack();
    if (announced.kind === 'retry') {
      await this.store.failed(dedupeKey, `pull request ${pr.url} open, not announced yet`, false);
      return announced;
    }
    // A channel that refuses for good (its record says why) must not fail the PR, which is open.
    if (announced.kind === 'reject') logger.warn({ reason: announced.reason }, 'pull request not announced');
    await this.store.delivered(dedupeKey, pr.url);
    return Outcome.ack();
  }

  private async failed(
    cmd: ForgeOpenPullRequestData,
    dedupeKey: string,
    err: unknown,
    repo: RepoName,
    head: string,
    lookup: PullRequestLookup | undefined,
    logger: Logger,
  ): Promise<HandlerOutcome> {
    if (err instanceof ForgeNotConfigured) {
      await this.store.failed(dedupeKey, err.message, true);
      return Outcome.reject(err.message);
    }
    if (err instanceof RpcError) {
      const final = FINAL_RPC_CODES.has(err.code);
      await this.store.failed(dedupeKey, err.message, final);
      return final
        ? Outcome.reject(`identity-broker ${err.code}: ${err.message}`)
        : Outcome.retry(`identity-broker: ${err.message}`);
    }
    const failure = classifyGitHubError(err);
    switch (failure.kind) {
      case 'rate_limited':
        await this.store.failed(dedupeKey, failure.message, false);
        return Outcome.retry(`github rate limited: ${failure.message}`, Math.max(failure.retryAfterMs, 1));
      case 'unprocessable': {
        // "A pull request already exists", or the PR was opened and only the review request was
        // declined: either way the PR for this head is open, and that is what was asked.
        const open = await lookup?.findOpen(repo, head).catch(() => null);
        if (open) {
          logger.warn({ dedupeKey, err: failure.message }, 'github declined part of the request');
          return this.done(cmd, dedupeKey, open, logger, 'pull request open');
        }
        await this.store.failed(dedupeKey, failure.message, true);
        return Outcome.reject(`github refused ${dedupeKey}: ${failure.message}`);
      }
      case 'refused':
        await this.store.failed(dedupeKey, failure.message, true);
        return Outcome.reject(`github ${failure.status} for ${dedupeKey}: ${failure.message}`);
      case 'transient':
        await this.store.failed(dedupeKey, failure.message, false);
        return Outcome.retry(`github: ${failure.message}`);
    }
  }
}
