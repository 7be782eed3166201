import { NormalizedWebhook, WebhookHeaders, WebhookVerifier, webhookHeader } from '@horizon/contracts';
import {
  githubWebhookVerifier,
  normalizeGithubWebhook,
  parseGithubWebhookSecrets,
} from '@horizon/integrations-github';
import { linearWebhookVerifier, normalizeLinearWebhook } from '@horizon/integrations-linear';
import { normalizeSlackWebhook, parseSlackBody, slackWebhookVerifier } from '@horizon/integrations-slack';
import type { IngressConfig } from '../config';
import type { InteractionAnswer } from './accept';
import type { SlackBudgetModal } from './slack-budget-modal';

/** `trigger`: a named webhook trigger (`/webhooks/generic/<name>`, see webhook-triggers.ts). */
export type SourceName = 'github' | 'linear' | 'slack' | 'trigger';

/**
 * One webhook endpoint: what it accepts, how it is verified, parsed and normalized. `verifier`
 * is absent when the source has no secret configured: the endpoint then refuses everything.
 */
export interface WebhookSource {
  name: SourceName;
  path: string;
  /** Media types accepted (without parameters); anything else is a 415. */
  mediaTypes: readonly string[];
  /** Headers without which the delivery cannot be identified (checked before the signature). */
  requiredHeaders: readonly string[];
  verifier?: WebhookVerifier;
  /** Why there is no verifier, when the sender may be told (else: no secret configured). */
  absentReason?: string;
  /**
   * Set when the source exists but cannot verify anything on our side (its secret does not
   * open): a 503 with this reason, so the sender retries once an operator has fixed it.
   */
  unavailableReason?: string;
  /**
   * Whether a refusal's answer says which check failed. The fixed providers' do not (the reason
   * goes to the log); a trigger's sender is whoever set it up, debugging their signing.
   */
  explainsRefusals?: boolean;
  /** Throws on a malformed body (a 400). */
  parse(rawBody: Buffer, headers: WebhookHeaders): unknown;
  normalize(headers: WebhookHeaders, body: unknown, receivedAt: Date): NormalizedWebhook;
  /**
   * For a sender that waits on the answer to an interaction (Slack's budget modal): answers the
   * verified body, or null to take `normalize`'s path.
   */
  interact?(body: unknown, receivedAt: Date): Promise<InteractionAnswer | null>;
  /** The delivery id and event the sender claims, read before verification (for records and logs only). */
  claimed(headers: WebhookHeaders, body: unknown): { deliveryId?: string; event?: string };
}

const parseJson = (rawBody: Buffer): unknown => JSON.parse(rawBody.toString('utf8'));

function field(body: unknown, key: string): string | undefined {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The four endpoints, built from the configuration; Slack's interactions may open the budget modal. */
export function webhookSources(config: IngressConfig, budgetModal: SlackBudgetModal): WebhookSource[] {
  const slackVerifier = config.SLACK_SIGNING_SECRET
    ? slackWebhookVerifier(config.SLACK_SIGNING_SECRET)
    : undefined;
  const slackNormalize = (headers: WebhookHeaders, body: unknown, receivedAt: Date) =>
    normalizeSlackWebhook(headers, body, receivedAt, { botUserId: config.SLACK_BOT_USER_ID });
  return [
    {
      name: 'github',
      path: '/webhooks/github',
      mediaTypes: ['application/json'],
      requiredHeaders: ['x-github-event', 'x-github-delivery'],
      verifier: config.GITHUB_WEBHOOK_SECRET
        ? githubWebhookVerifier(parseGithubWebhookSecrets(config.GITHUB_WEBHOOK_SECRET))
        : undefined,
      parse: parseJson,
      normalize: normalizeGithubWebhook,
      claimed: (headers) => ({
        deliveryId: webhookHeader(headers, 'x-github-delivery'),
        event: webhookHeader(headers, 'x-github-event'),
      }),
    },
    {
      name: 'linear',
      path: '/webhooks/linear',
      mediaTypes: ['application/json'],
      requiredHeaders: ['linear-delivery'],
      verifier: config.LINEAR_WEBHOOK_SECRET
        ? linearWebhookVerifier(config.LINEAR_WEBHOOK_SECRET)
        : undefined,
      parse: parseJson,
      normalize: normalizeLinearWebhook,
      claimed: (headers, body) => ({
        deliveryId: webhookHeader(headers, 'linear-delivery'),
        event: webhookHeader(headers, 'linear-event') ?? field(body, 'type'),
      }),
    },
    {
      name: 'slack',
      path: '/webhooks/slack/events',
      mediaTypes: ['application/json'],
      requiredHeaders: [],
      verifier: slackVerifier,
      parse: parseSlackBody,
      normalize: slackNormalize,
      // Slack keeps `event_id` across its retries (X-Slack-Retry-Num): a retry is the same delivery.
      claimed: (_headers, body) => ({
        deliveryId: field(body, 'event_id'),
        event:
          field(
            typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined,
            'type',
          ) ?? field(body, 'type'),
      }),
    },
    {
      name: 'slack',
      path: '/webhooks/slack/interactions',
      mediaTypes: ['application/x-www-form-urlencoded'],
      requiredHeaders: [],
      verifier: slackVerifier,
      parse: parseSlackBody,
      normalize: slackNormalize,
      interact: (body, receivedAt) => budgetModal.interact(body, receivedAt),
      claimed: (_headers, body) => ({ deliveryId: field(body, 'trigger_id'), event: field(body, 'type') }),
    },
  ];
}
