import type {
  AgentSessionEventWebhookPayload,
  EntityWebhookPayloadWithCommentData,
  EntityWebhookPayloadWithIssueData,
} from '@linear/sdk/webhooks' with { 'resolution-mode': 'import' };
import {
  DataOf,
  DeliveryOf,
  WebhookHeaders,
  WebhookNormalization,
  acceptDelivery,
  linearAgentSession,
  linearComment,
  linearIssueChanged,
  webhookHeader,
} from '@horizon/contracts';

type IssueChanges = DataOf<typeof linearIssueChanged>['changes'];
type UpdatedFrom = Record<string, unknown>;

/** Which `updatedFrom` key (previous value) stands for which change, and the field holding the new value. */
const TRACKED_CHANGES = [
  ['state', 'stateId'],
  ['assignee', 'assigneeId'],
  ['delegate', 'delegateId'],
] as const;

/**
 * Turns a verified Linear delivery into its ingress contract. `body` is the parsed JSON of the raw
 * body `linearWebhookVerifier` accepted; the event comes from `Linear-Event` (Linear sets it to the
 * payload's `type`), the delivery id from `Linear-Delivery`.
 */
export function normalizeLinearWebhook(
  headers: WebhookHeaders,
  body: unknown,
  receivedAt: Date,
): WebhookNormalization {
  const deliveryId = webhookHeader(headers, 'linear-delivery');
  if (typeof body !== 'object' || body === null) throw new Error('Linear delivery has no JSON object body');
  const payload = body as { type?: unknown; action?: string; organizationId: string };
  const event =
    webhookHeader(headers, 'linear-event') ?? (typeof payload.type === 'string' ? payload.type : undefined);
  if (!event) throw new Error('Linear delivery without a Linear-Event header or payload type');
  if (!deliveryId) throw new Error(`Linear ${event} delivery without a Linear-Delivery header`);
  const action = payload.action ?? null;
  const delivery: DeliveryOf = {
    source: 'linear',
    deliveryId,
    event,
    action,
    receivedAt: receivedAt.toISOString(),
  };

  if (event === 'AgentSessionEvent' && (action === 'created' || action === 'prompted')) {
    const p = body as AgentSessionEventWebhookPayload;
    const issue = p.agentSession.issue;
    return acceptDelivery(linearAgentSession, deliveryId, {
      delivery,
      organizationId: p.organizationId,
      action,
      agentSessionId: p.agentSession.id,
      issue: issue ? issueFields(issue) : null,
      // `created` carries Linear's formatted context; `prompted` carries the human's new message.
      prompt:
        action === 'created' ? (p.promptContext ?? null) : (promptBody(p.agentActivity?.content) ?? null),
      creatorId: p.agentSession.creatorId ?? null,
    });
  }
  if (event === 'Issue' && (action === 'create' || action === 'update')) {
    const p = body as EntityWebhookPayloadWithIssueData;
    const issue = p.data;
    return acceptDelivery(linearIssueChanged, deliveryId, {
      delivery,
      organizationId: p.organizationId,
      action,
      issue: {
        ...issueFields(issue),
        projectId: issue.projectId ?? null,
        stateId: issue.stateId,
        stateName: issue.state?.name ?? null,
        stateType: issue.state?.type ?? null,
        assigneeId: issue.assigneeId ?? null,
        delegateId: issue.delegateId ?? null,
        labels: (issue.labels ?? []).map((label) => label.name),
      },
      actorId: p.actor?.id ?? null,
      changes: action === 'update' ? changesFrom(issue, p.updatedFrom) : {},
    });
  }
  if (event === 'Comment' && action === 'create') {
    const p = body as EntityWebhookPayloadWithCommentData;
    return acceptDelivery(linearComment, deliveryId, {
      delivery,
      organizationId: p.organizationId,
      comment: {
        id: p.data.id,
        body: p.data.body,
        issueId: p.data.issueId ?? null,
        userId: p.data.userId ?? null,
      },
    });
  }
  return { kind: 'ignored', event, reason: `${event} ${action ?? '(no action)'} is not handled` };
}

/**
 * `updatedFrom` holds the previous value of every property the update touched: a tracked key
 * present there is a change, from that value to the one now in `data`.
 */
function changesFrom(
  issue: EntityWebhookPayloadWithIssueData['data'],
  updatedFrom: UpdatedFrom | null | undefined,
): IssueChanges {
  const changes: IssueChanges = {};
  for (const [change, field] of TRACKED_CHANGES) {
    if (updatedFrom && field in updatedFrom) {
      changes[change] = { fromId: (updatedFrom[field] as string | null) ?? null, toId: issue[field] ?? null };
    }
  }
  return changes;
}

function promptBody(content: unknown): string | undefined {
  const body = (content as { body?: unknown } | null | undefined)?.body;
  return typeof body === 'string' ? body : undefined;
}

/** The fields of an issue every Linear contract carries, from a webhook's issue of either shape. */
function issueFields(issue: {
  id: string;
  identifier: string;
  title: string;
  description?: string | null;
  url: string;
  teamId: string;
}) {
  return {
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    description: issue.description ?? null,
    url: issue.url,
    teamId: issue.teamId,
  };
}
