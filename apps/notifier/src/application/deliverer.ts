import { ChatCallError, ChatRateLimitedError } from '@horizon/integrations-slack';
import { TrackerCallError, TrackerRateLimitedError } from '@horizon/integrations-linear';
import { HandlerOutcome, Outcome } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { NotifyChannel } from '@horizon/contracts';
import type { ChannelSender } from './channels';
import { GitHubCallError } from './pull-requests/github-sender';
import type { Notification } from '../domain/compose';
import type { DeliveryStore } from '../persistence/delivery-store';

export type Senders = Partial<Record<NotifyChannel, ChannelSender>>;

/**
 * Delivers notifications: record first, then post, then mark delivered. A rate limit becomes a
 * retry after exactly the delay the service asked for; a refusal no retry can fix is recorded
 * as failed and rejected; anything else is retried with the consumer's back-off.
 */
export class Deliverer {
  /** Per update key, the tail of its delivery chain: one status message is posted once, then edited, in order. */
  private readonly updateChains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: DeliveryStore,
    private readonly senders: Senders,
  ) {}

  configured(channel: NotifyChannel): boolean {
    return this.senders[channel] !== undefined;
  }

  /**
   * Delivers each in turn; the first that is not delivered decides the message's outcome.
   * `eventSeq`, the source event's stream sequence, orders updates of one status message:
   * events are handled concurrently, and an older one handled late must not overwrite a newer.
   */
  async deliverAll(
    notifications: Notification[],
    logger: Logger,
    eventSeq?: number,
  ): Promise<HandlerOutcome> {
    for (const n of notifications) {
      if (!this.configured(n.channel)) continue;
      const outcome = await this.deliver(n, logger, eventSeq);
      if (outcome.kind !== 'ack') return outcome;
    }
    return Outcome.ack();
  }

  async deliver(n: Notification, logger: Logger, eventSeq?: number): Promise<HandlerOutcome> {
    if (!n.updateKey) return this.deliverOnce(n, logger);
    const key = `${n.channel}:${n.updateKey}`;
    const run = (this.updateChains.get(key) ?? Promise.resolve()).then(() =>
      this.deliverOnce(n, logger, eventSeq),
    );
    const tail = run.catch(() => undefined);
    this.updateChains.set(key, tail);
    void tail.then(() => this.updateChains.get(key) === tail && this.updateChains.delete(key));
    return run;
  }

  private async deliverOnce(n: Notification, logger: Logger, eventSeq?: number): Promise<HandlerOutcome> {
    const sender = this.senders[n.channel];
    if (!sender) return Outcome.reject(`channel ${n.channel} is not configured on this notifier`);
    const claim = await this.store.claim(n, n.updateKey ? eventSeq : undefined);
    if (claim.kind === 'done') {
      logger.debug({ dedupeKey: n.dedupeKey }, 'already delivered');
      return Outcome.ack();
    }
    if (claim.kind === 'busy') return Outcome.retry(`delivery ${n.dedupeKey} is in progress elsewhere`, 1000);
    // Updates of one message run one at a time (updateChains), so this check and the send below
    // cannot interleave with another update of the same message in this process.
    if (n.updateKey && eventSeq !== undefined) {
      if (await this.store.newerUpdateShown(n.channel, n.updateKey, eventSeq)) {
        await this.store.superseded(n.dedupeKey);
        logger.info(
          { dedupeKey: n.dedupeKey, eventSeq },
          'status update superseded by a newer one: not shown',
        );
        return Outcome.ack();
      }
    }
    try {
      const updateTarget = n.updateKey ? await this.store.updateTarget(n.channel, n.updateKey) : undefined;
      const externalId = await sender.send(n, { attempts: claim.attempts, updateTarget });
      await this.store.delivered(n.dedupeKey, externalId);
      logger.info(
        { channel: n.channel, dedupeKey: n.dedupeKey, externalId, attempts: claim.attempts },
        'notification delivered',
      );
      return Outcome.ack();
    } catch (err) {
      return failureOutcome(this.store, n, err, logger);
    }
  }
}

/**
 * What a failed channel call means for the message: a rate limit is a retry after exactly the
 * delay the service asked for; a refusal no retry can fix is rejected with the channel's reason
 * (and, unless `keepRetryable`, recorded as failed for good); anything else is retried with the
 * consumer's back-off. The delivery record is released either way.
 */
export async function failureOutcome(
  store: Pick<DeliveryStore, 'failed'>,
  n: Pick<Notification, 'channel' | 'dedupeKey'>,
  err: unknown,
  logger: Logger,
  options: { keepRetryable?: boolean } = {},
): Promise<HandlerOutcome> {
  const message = (err as Error).message;
  const rateLimitedFor =
    err instanceof ChatRateLimitedError || err instanceof TrackerRateLimitedError
      ? err.retryAfterMs
      : err instanceof GitHubCallError
        ? err.retryAfterMs
        : undefined;
  if (rateLimitedFor !== undefined) {
    await store.failed(n.dedupeKey, message, false);
    return Outcome.retry(`${n.channel} rate limited`, Math.max(rateLimitedFor, 1));
  }
  const permanent =
    (err instanceof ChatCallError || err instanceof TrackerCallError || err instanceof GitHubCallError) &&
    err.permanent;
  await store.failed(n.dedupeKey, message, permanent && !options.keepRetryable);
  if (permanent) {
    logger.warn({ channel: n.channel, dedupeKey: n.dedupeKey, err: message }, 'notification refused');
    return Outcome.reject(`${n.channel} refused ${n.dedupeKey}: ${message}`);
  }
  return Outcome.retry(`${n.channel}: ${message}`);
}
