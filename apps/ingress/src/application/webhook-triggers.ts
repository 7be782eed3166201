import { randomBytes, randomUUID } from 'node:crypto';
import { acceptDelivery, triggerFired, webhookHeader } from '@horizon/contracts';
import type { TriggerFormat, WebhookHeaders } from '@horizon/contracts';
import { KeyringError } from '@horizon/keyring';
import type { Keyring } from '@horizon/keyring';
import type { Logger } from '@horizon/observability';
import { derivedUuid } from '../domain/derived-uuid';
import {
  TriggerDefinitionError,
  checkFilter,
  checkTemplate,
  passesFilter,
  renderTemplate,
} from '../domain/trigger-rules';
import { triggerDeliveryId, triggerVerifier } from '../domain/trigger-signature';
import type { WebhookTrigger, WebhookTriggerRepository } from '../persistence/webhook-trigger.repository';
import type { WebhookSource } from './webhook-source';

export { TriggerDefinitionError };

/** What a caller defines; templates default to the format's built-in ones (Sentry's). */
export interface TriggerDefinition {
  name: string;
  format: TriggerFormat;
  repo: string;
  kind: 'implement' | 'plan';
  filter?: unknown;
  titleTemplate?: string | undefined;
  promptTemplate?: string | undefined;
  labels: string[];
  /** Sentry's client secret; for `horizon`, absent means one is generated. */
  secret?: string | undefined;
}

export interface TriggerView {
  id: string;
  name: string;
  format: TriggerFormat;
  path: string;
  repo: string;
  kind: string;
  filter: unknown;
  titleTemplate: string;
  promptTemplate: string;
  labels: string[];
  createdBy: string;
  createdAt: string;
}

export class TriggerNameTakenError extends Error {}

/** Sentry issue alerts (Sentry-Hook-Resource: event_alert), as their documented payload names things. */
const SENTRY_TEMPLATES = {
  title: 'Sentry: {{data.event.title}}',
  prompt: [
    'The Sentry issue alert "{{data.triggered_rule}}" fired: {{data.event.title}}.',
    '',
    'Culprit: {{data.event.culprit}}',
    'Level: {{data.event.level}}, platform: {{data.event.platform}}',
    'Issue: {{data.event.web_url}}',
    '',
    'Find the cause in this repository. Fix it with a test that reproduces the error, and say in the pull request how the change answers the Sentry issue.',
  ].join('\n'),
};

const TITLE_MAX = 300;
/** The additional data a trigger's secret is sealed with: moved to another row, it does not open. */
export const sealedAs = (id: string) => `ingress.WebhookTrigger:${id}`;

export function openTriggerSecret(keyring: Keyring, row: WebhookTrigger): string {
  return keyring.open(
    {
      keyId: row.secretKeyId,
      ciphertext: row.secretCiphertext,
      iv: row.secretIv,
      authTag: row.secretAuthTag,
    },
    sealedAs(row.id),
  );
}
export const triggerPath = (name: string) => `/webhooks/generic/${name}`;

/**
 * Named webhook triggers: defined (the secret sealed with the keyring, shown once), listed,
 * deleted, and turned into the webhook source that accepts one trigger's deliveries.
 */
export class WebhookTriggers {
  constructor(
    private readonly repository: WebhookTriggerRepository,
    private readonly keyring: Keyring,
    private readonly toleranceSeconds: number,
    private readonly logger: Logger,
  ) {}

  async create(
    definition: TriggerDefinition,
    createdBy: string,
  ): Promise<{ trigger: TriggerView; secret: string }> {
    const titleTemplate =
      definition.titleTemplate ?? (definition.format === 'sentry' ? SENTRY_TEMPLATES.title : undefined);
    const promptTemplate =
      definition.promptTemplate ?? (definition.format === 'sentry' ? SENTRY_TEMPLATES.prompt : undefined);
    if (!titleTemplate || !promptTemplate)
      throw new TriggerDefinitionError('a horizon trigger needs titleTemplate and promptTemplate');
    checkTemplate(titleTemplate, 'titleTemplate', false);
    checkTemplate(promptTemplate, 'promptTemplate', true);
    if (definition.filter !== null && definition.filter !== undefined) checkFilter(definition.filter);
    if (definition.format === 'sentry' && !definition.secret)
      throw new TriggerDefinitionError(
        "a sentry trigger needs secret: the Sentry integration's client secret",
      );
    const secret = definition.secret ?? `hzn_whsec_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const sealed = this.keyring.seal(secret, sealedAs(id));
    const row = await this.repository.insert({
      id,
      name: definition.name,
      format: definition.format,
      repo: definition.repo,
      kind: definition.kind,
      filter: definition.filter ?? null,
      titleTemplate,
      promptTemplate,
      labels: definition.labels,
      secretKeyId: sealed.keyId,
      secretCiphertext: sealed.ciphertext,
      secretIv: sealed.iv,
      secretAuthTag: sealed.authTag,
      createdBy,
    });
    if (!row)
      throw new TriggerNameTakenError(
        `a trigger named ${definition.name} exists; delete it first or pick another name`,
      );
    return { trigger: view(row), secret };
  }

  async list(): Promise<TriggerView[]> {
    return (await this.repository.list()).map(view);
  }

  delete(name: string): Promise<boolean> {
    return this.repository.delete(name);
  }

  /**
   * A secret sealed under a key this ingress no longer holds cannot verify anything: the sender
   * is told it is our fault (a 503 it retries), the operator is told which key is missing.
   */
  private openSecret(row: WebhookTrigger | null): { secret?: string; unavailableReason?: string } {
    if (!row) return {};
    try {
      return { secret: openTriggerSecret(this.keyring, row) };
    } catch (error) {
      if (!(error instanceof KeyringError)) throw error;
      this.logger.error(
        { trigger: row.name, keyId: row.secretKeyId, err: error },
        'trigger secret does not open',
      );
      return {
        unavailableReason: `trigger ${row.name}'s secret cannot be opened on this server (key ${row.secretKeyId}); an operator must restore that key to HORIZON_ENCRYPTION_KEYS`,
      };
    }
  }

  /** The source for `POST /webhooks/generic/<name>`; without a trigger of that name, one that refuses with 404. */
  async source(name: string): Promise<WebhookSource> {
    // While Postgres does not answer (a restart, a failover) the sender is asked to retry (503).
    let lookupFailed: string | undefined;
    const row = await this.repository.findByName(name).catch((error: Error) => {
      lookupFailed = `webhook triggers could not be read: ${error.message}`;
      return null;
    });
    const format = (row?.format ?? 'horizon') as TriggerFormat;
    const deliveryOf = (headers: WebhookHeaders) => {
      const id = triggerDeliveryId(format, headers);
      return id === undefined ? undefined : `${name}:${id}`;
    };
    const eventOf = (headers: WebhookHeaders) =>
      format === 'sentry'
        ? (webhookHeader(headers, 'sentry-hook-resource') ?? 'unknown')
        : (webhookHeader(headers, 'x-horizon-event') ?? 'webhook');
    const { secret, unavailableReason = lookupFailed } = this.openSecret(row);
    return {
      name: 'trigger',
      path: triggerPath(name),
      mediaTypes: ['application/json'],
      requiredHeaders: format === 'sentry' ? ['request-id'] : [],
      explainsRefusals: true,
      absentReason: `no trigger named ${name} (horizon trigger list shows them)`,
      unavailableReason,
      verifier: secret ? triggerVerifier(format, secret, this.toleranceSeconds) : undefined,
      parse: (rawBody) => JSON.parse(rawBody.toString('utf8')) as unknown,
      claimed: (headers) => ({ deliveryId: deliveryOf(headers), event: eventOf(headers) }),
      normalize: (headers, body, receivedAt) => {
        if (!row) throw new Error(`trigger ${name} vanished between lookup and use`);
        const event = eventOf(headers);
        const ignored = (reason: string) => ({ kind: 'ignored' as const, event, reason });
        if (format === 'sentry' && event !== 'event_alert')
          return ignored(`Sentry resource ${event} is not an issue alert (event_alert)`);
        if (!passesFilter(row.filter, body))
          return ignored("filter: the payload does not pass the trigger's filter");
        const title = renderTemplate(row.titleTemplate, body);
        if (title.text.trim() === '')
          throw new Error(
            `the title template rendered empty${title.missing.length ? `: the payload lacks ${title.missing.join(', ')}` : ''}`,
          );
        const prompt = renderTemplate(row.promptTemplate, body);
        const senderId = triggerDeliveryId(format, headers)!;
        // Named by the trigger, as the InboxDelivery row is: two triggers' senders may reuse ids.
        const deliveryId = `${name}:${senderId}`;
        const action = format === 'sentry' ? stringField(body, 'action') : null;
        return acceptDelivery(triggerFired, deliveryId, {
          delivery: { source: 'trigger', deliveryId, event, action, receivedAt: receivedAt.toISOString() },
          trigger: { id: row.id, name, format },
          workItemId: derivedUuid(row.id, senderId),
          repo: row.repo,
          kind: row.kind as TriggerDefinition['kind'],
          title: title.text.trim().slice(0, TITLE_MAX),
          description: prompt.missing.length
            ? `${prompt.text}\n\n(The payload lacked ${prompt.missing.join(', ')}.)`
            : prompt.text,
          labels: row.labels,
        });
      },
    };
  }
}

function stringField(body: unknown, key: string): string | null {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : null;
  return typeof value === 'string' ? value : null;
}

function view(row: WebhookTrigger): TriggerView {
  return {
    id: row.id,
    name: row.name,
    format: row.format as TriggerFormat,
    path: triggerPath(row.name),
    repo: row.repo,
    kind: row.kind,
    filter: row.filter,
    titleTemplate: row.titleTemplate,
    promptTemplate: row.promptTemplate,
    labels: row.labels,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
