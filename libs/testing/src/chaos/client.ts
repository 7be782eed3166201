import { randomUUID } from 'node:crypto';
import { githubDelivery, githubExamples, linearDelivery, linearFixture, SignedDelivery } from '../fixtures';

/** What the suite sends: work-API creates, GitHub pull requests, Linear issues delegated to Horizon. */
export type RequestKind = 'api' | 'github' | 'linear';
export const REQUEST_KINDS: readonly RequestKind[] = ['api', 'github', 'linear'];

export interface SentRequest {
  kind: RequestKind;
  /** The burst (fault) it was sent during. */
  phase: string;
  /** The work item title it leads to (api, linear): `chaos <key>`, so a duplicate shows as two rows. */
  title: string | null;
  /** The envelope id ingress publishes it under, once known (the API answers with the item id). */
  envelopeId: string | null;
  /** 2xx (accepted or duplicate), a final refusal (its status), or no 2xx before the client gave up. */
  outcome: 'accepted' | 'refused' | 'gave-up';
  status: number | null;
  attempts: number;
  /** The wall time from first try to the final answer. */
  ms: number;
}

export interface ClientOptions {
  ingressUrl: string;
  githubSecret: string;
  linearSecret: string;
  /** A work-API token with `work:write`. */
  apiToken: string;
  /** How long one request is retried before the client gives up. */
  retryForMs: number;
  /** Timeout of one attempt. */
  attemptTimeoutMs?: number;
}

/** Horizon's Linear app user, as the delegation fixture names it: the orchestrator's `LINEAR_APP_USER_ID`. */
export const CHAOS_LINEAR_APP_USER_ID = linearFixture('issue-update-assignee-delegate').data.delegateId;

const [pullRequestOpened] = githubExamples('pull_request').filter((p) => p.action === 'opened');

/**
 * A sender as the real ones behave: GitHub, Linear and a work-API client all retry a 503 (after
 * its Retry-After) and a refused or dropped connection (with back-off), resending the same
 * delivery id or Idempotency-Key so a retry of something already accepted is a no-op.
 */
export class ChaosClient {
  constructor(private readonly options: ClientOptions) {}

  async send(kind: RequestKind, phase: string): Promise<SentRequest> {
    const key = randomUUID();
    const issueId = randomUUID();
    const { url, envelopeId, title } = this.request(kind, key, issueId);
    const started = Date.now();
    const deadline = started + this.options.retryForMs;
    let attempts = 0;
    let lastStatus: number | null = null;
    let pauseMs = 100;
    while (Date.now() < deadline) {
      attempts += 1;
      // Built again each time: Linear signs a retry with a fresh webhookTimestamp (checked to 60 s).
      const { delivery } = this.request(kind, key, issueId);
      const res = await fetch(url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.rawBody,
        signal: AbortSignal.timeout(this.options.attemptTimeoutMs ?? 10_000),
      }).catch(() => null);
      const done = (outcome: SentRequest['outcome'], id: string | null) => ({
        kind,
        phase,
        title,
        envelopeId: id,
        outcome,
        status: lastStatus,
        attempts,
        ms: Date.now() - started,
      });
      if (res) {
        lastStatus = res.status;
        const body = (await res.json().catch(() => null)) as { id?: string } | null;
        if (res.ok) return done('accepted', envelopeId ?? `api:${body?.id}`);
        if (res.status !== 503 && res.status !== 502 && res.status !== 429) return done('refused', null);
        const retryAfter = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : pauseMs);
      } else {
        await sleep(pauseMs);
      }
      pauseMs = Math.min(pauseMs * 2, 2000);
    }
    return { kind, phase, title, envelopeId: null, outcome: 'gave-up', status: lastStatus, attempts, ms: 0 };
  }

  private request(
    kind: RequestKind,
    key: string,
    issueId: string,
  ): { url: string; delivery: SignedDelivery; envelopeId: string | null; title: string | null } {
    const { ingressUrl, githubSecret, linearSecret, apiToken } = this.options;
    const title = `chaos ${key}`;
    if (kind === 'github') {
      return {
        url: `${ingressUrl}/webhooks/github`,
        delivery: githubDelivery('pull_request', pullRequestOpened, githubSecret, key),
        envelopeId: `github:${key}`,
        title: null,
      };
    }
    if (kind === 'linear') {
      const payload = linearFixture('issue-update-assignee-delegate');
      // A new issue each request: each must become exactly one work item.
      payload.data = { ...payload.data, id: issueId, title };
      return {
        url: `${ingressUrl}/webhooks/linear`,
        delivery: linearDelivery(payload, linearSecret, key),
        envelopeId: `linear:${key}`,
        title,
      };
    }
    const rawBody = Buffer.from(
      JSON.stringify({ repo: 'acme/billing', title, description: 'Sent through a fault.', autoStart: false }),
    );
    return {
      url: `${ingressUrl}/api/v1/work-items`,
      delivery: {
        rawBody,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${apiToken}`,
          'idempotency-key': key,
        },
      },
      // The item id (derived from the token and the key) comes back in the answer.
      envelopeId: null,
      title,
    };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
