import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AgentSessionEventWebhookPayload,
  EntityWebhookPayloadWithCommentData,
  EntityWebhookPayloadWithIssueData,
} from '@linear/sdk/webhooks' with { 'resolution-mode': 'import' };
import githubExampleDefinitions from '@octokit/webhooks-examples';
import agentSessionCreated from '../fixtures/linear/agent-session-created.json';
import agentSessionPrompted from '../fixtures/linear/agent-session-prompted.json';
import commentCreate from '../fixtures/linear/comment-create.json';
import issueCreate from '../fixtures/linear/issue-create.json';
import issueUpdateAssigneeDelegate from '../fixtures/linear/issue-update-assignee-delegate.json';
import issueUpdateState from '../fixtures/linear/issue-update-state.json';
import sentryIssueAlertPayload from '../fixtures/sentry/event_alert.triggered.json';

/** A payload as it crosses the wire: the SDK's `Date` fields arrive as ISO strings. */
type OnTheWire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? OnTheWire<U>[]
    : T extends object
      ? { [K in keyof T]: OnTheWire<T[K]> }
      : T;

/** JSON gives `type` as a plain string, where the SDK narrows it to a literal: the spec checks the value. */
type LinearFixture<T extends { type: string }> = OnTheWire<Omit<T, 'type'>> & { type: string };

// `satisfies` ties every fixture to the installed SDK's webhook types: a field Linear renames or
// retypes fails the typecheck instead of drifting silently.
const linearFixtures = {
  'agent-session-created': agentSessionCreated satisfies LinearFixture<AgentSessionEventWebhookPayload>,
  'agent-session-prompted': agentSessionPrompted satisfies LinearFixture<AgentSessionEventWebhookPayload>,
  'issue-create': issueCreate satisfies LinearFixture<EntityWebhookPayloadWithIssueData>,
  'issue-update-state': issueUpdateState satisfies LinearFixture<EntityWebhookPayloadWithIssueData>,
  'issue-update-assignee-delegate':
    issueUpdateAssigneeDelegate satisfies LinearFixture<EntityWebhookPayloadWithIssueData>,
  'comment-create': commentCreate satisfies LinearFixture<EntityWebhookPayloadWithCommentData>,
};
export type LinearFixtureName = keyof typeof linearFixtures;
export const linearFixtureNames = Object.keys(linearFixtures) as LinearFixtureName[];

/** A fresh copy of a Linear fixture, its `webhookTimestamp` set to now so it passes the 60 s check. */
export function linearFixture<N extends LinearFixtureName>(
  name: N,
  now = Date.now(),
): (typeof linearFixtures)[N] {
  return { ...structuredClone(linearFixtures[name]), webhookTimestamp: now };
}

export type SlackFixtureName =
  | 'url-verification'
  | 'app-mention'
  | 'thread-reply'
  | 'channel-message'
  | 'bot-message'
  | 'message-changed'
  | 'message-deleted'
  | 'block-actions';

const slackFixtureDir = join(__dirname, '..', 'fixtures', 'slack');

/** A fresh copy of a Slack fixture (parsed JSON, see fixtures/slack/README.md). */
export function slackFixture(name: SlackFixtureName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(slackFixtureDir, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export type GithubExample = Record<string, unknown> & { action?: string };

/** Every payload `@octokit/webhooks-examples` holds for one event (fresh copies). */
export function githubExamples(event: string): GithubExample[] {
  const definition = githubExampleDefinitions.find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no event ${event}`);
  return structuredClone(definition.examples) as GithubExample[];
}

// The signers below compute HMACs with node:crypto on purpose: the verifiers under test use the
// providers' SDKs, so a test that passes proves two independent implementations agree.

/** The `X-Hub-Signature-256` value GitHub would send for this body. */
export function signGithub(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The `Linear-Signature` value Linear would send for this body. */
export function signLinear(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The `X-Slack-Signature` value Slack would send for this body at `timestamp` (Unix seconds). */
export function signSlack(body: string | Buffer, secret: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export interface SignedDelivery {
  rawBody: Buffer;
  headers: Record<string, string>;
}

/** A GitHub delivery as the ingress receives it: raw body and lower-cased headers. */
export function githubDelivery(
  event: string,
  payload: unknown,
  secret: string,
  deliveryId: string,
): SignedDelivery {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signGithub(rawBody, secret),
    },
  };
}

/**
 * A Linear delivery; the event header is the payload's `type`, as Linear sends it. A caller
 * that mutates the body (fuzzing) passes the `event` Linear would have named, since a mutated
 * `type` need not be a string and a header must be.
 */
export function linearDelivery(
  payload: { type: string },
  secret: string,
  deliveryId: string,
  event: string = payload.type,
): SignedDelivery {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return {
    rawBody,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'linear-event': event,
      'linear-delivery': deliveryId,
      'linear-signature': signLinear(rawBody, secret),
    },
  };
}

/** A Slack Events API delivery (JSON body) signed at `timestamp` (Unix seconds, default now). */
export function slackDelivery(
  payload: unknown,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedDelivery {
  return slackSigned(Buffer.from(JSON.stringify(payload)), 'application/json', secret, timestamp);
}

/** A Slack interactivity delivery: `payload=<JSON>` form-encoded, signed like any other. */
export function slackInteraction(
  payload: unknown,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedDelivery {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return slackSigned(Buffer.from(form), 'application/x-www-form-urlencoded', secret, timestamp);
}

function slackSigned(
  rawBody: Buffer,
  contentType: string,
  secret: string,
  timestamp: number,
): SignedDelivery {
  return {
    rawBody,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlack(rawBody, secret, timestamp),
    },
  };
}

/** Sentry's documented issue-alert payload (fixtures/sentry), a fresh copy each call. */
export function sentryIssueAlert(): typeof sentryIssueAlertPayload {
  return structuredClone(sentryIssueAlertPayload);
}

/**
 * A delivery as Sentry's integration platform sends it: `Sentry-Hook-Signature` is the hex
 * HMAC-SHA256 of the body with the client secret; `timestamp` in Unix seconds (default now).
 */
export function sentryDelivery(
  payload: unknown,
  secret: string,
  requestId: string,
  resource = 'event_alert',
  timestamp = Math.floor(Date.now() / 1000),
): SignedDelivery {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'request-id': requestId,
      'sentry-hook-resource': resource,
      'sentry-hook-timestamp': String(timestamp),
      'sentry-hook-signature': createHmac('sha256', secret).update(rawBody).digest('hex'),
    },
  };
}
