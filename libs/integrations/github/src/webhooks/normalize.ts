import type { EmitterWebhookEvent } from '@octokit/webhooks' with { 'resolution-mode': 'import' };
import {
  DataOf,
  WebhookHeaders,
  WebhookNormalization,
  acceptDelivery,
  githubCheckCompleted,
  githubInstallation,
  githubIssueComment,
  githubPing,
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
  webhookHeader,
} from '@horizon/contracts';

type Payload<E extends EmitterWebhookEvent['name']> = EmitterWebhookEvent<E>['payload'];
type GithubActorType = NonNullable<DataOf<typeof githubPing>['sender']>['type'];
type Base = Pick<DataOf<typeof githubPing>, 'delivery' | 'installationId' | 'repository' | 'sender'>;

interface CommonPayload {
  action?: string;
  installation?: { id: number } | null;
  repository?: { id: number; name: string; full_name: string; owner: { login: string } } | null;
  sender?: { id: number; login: string; type: string } | null;
}

const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'closed', 'labeled', 'unlabeled'] as const;
const HANDLED_ACTIONS: Record<string, readonly string[] | 'all'> = {
  issue_comment: ['created'],
  pull_request_review: ['submitted'],
  pull_request_review_comment: ['created'],
  pull_request: PULL_REQUEST_ACTIONS,
  check_run: ['completed'],
  check_suite: ['completed'],
  workflow_run: ['completed'],
  // A commit status has no action: every state is normalized, the routing reads it.
  status: 'all',
  installation: 'all',
  installation_repositories: 'all',
  ping: 'all',
};

/**
 * Turns a verified GitHub delivery into its ingress contract. `body` is the parsed JSON of the
 * raw body that `githubWebhookVerifier` accepted; the event comes from `X-GitHub-Event`.
 */
export function normalizeGithubWebhook(
  headers: WebhookHeaders,
  body: unknown,
  receivedAt: Date,
): WebhookNormalization {
  const event = webhookHeader(headers, 'x-github-event');
  const deliveryId = webhookHeader(headers, 'x-github-delivery');
  if (!event) throw new Error('GitHub delivery without an X-GitHub-Event header');
  if (!deliveryId) throw new Error(`GitHub ${event} delivery without an X-GitHub-Delivery header`);
  if (typeof body !== 'object' || body === null)
    throw new Error(`GitHub ${event} delivery ${deliveryId} has no JSON object body`);

  const common = body as CommonPayload;
  const action = common.action ?? null;
  const handled = HANDLED_ACTIONS[event];
  if (!handled) return { kind: 'ignored', event, reason: `event ${event} is not handled` };
  if (handled !== 'all' && (action === null || !handled.includes(action))) {
    return { kind: 'ignored', event, reason: `${event} action ${action ?? '(none)'} is not handled` };
  }

  const base: Base = {
    delivery: { source: 'github', deliveryId, event, action, receivedAt: receivedAt.toISOString() },
    installationId: common.installation?.id ?? null,
    repository: common.repository
      ? {
          id: common.repository.id,
          owner: common.repository.owner.login,
          name: common.repository.name,
          fullName: common.repository.full_name,
        }
      : null,
    sender: common.sender
      ? {
          id: String(common.sender.id),
          login: common.sender.login,
          type: common.sender.type as GithubActorType,
        }
      : null,
  };

  switch (event) {
    case 'issue_comment': {
      const p = body as Payload<'issue_comment'>;
      return acceptDelivery(githubIssueComment, deliveryId, {
        ...base,
        issue: {
          number: p.issue.number,
          title: p.issue.title,
          isPullRequest: Boolean(p.issue.pull_request),
          htmlUrl: p.issue.html_url,
        },
        comment: {
          id: p.comment.id,
          body: p.comment.body,
          author: p.comment.user?.login ?? 'ghost',
          htmlUrl: p.comment.html_url,
        },
      });
    }
    case 'pull_request_review': {
      const p = body as Payload<'pull_request_review'>;
      return acceptDelivery(githubPullRequestReview, deliveryId, {
        ...base,
        pullRequest: pullRef(p.pull_request),
        review: {
          id: p.review.id,
          state: p.review.state.toLowerCase() as DataOf<typeof githubPullRequestReview>['review']['state'],
          body: p.review.body,
          author: p.review.user?.login ?? 'ghost',
          htmlUrl: p.review.html_url,
        },
      });
    }
    case 'pull_request_review_comment': {
      const p = body as Payload<'pull_request_review_comment'>;
      return acceptDelivery(githubPullRequestReviewComment, deliveryId, {
        ...base,
        pullRequest: pullRef(p.pull_request),
        comment: {
          id: p.comment.id,
          body: p.comment.body,
          path: p.comment.path,
          line: p.comment.line ?? null,
          author: p.comment.user?.login ?? 'ghost',
          htmlUrl: p.comment.html_url,
        },
      });
    }
    case 'pull_request': {
      const p = body as Payload<'pull_request'>;
      return acceptDelivery(githubPullRequest, deliveryId, {
        ...base,
        action: p.action as (typeof PULL_REQUEST_ACTIONS)[number],
        ...('label' in p && p.label ? { label: p.label.name } : {}),
        pullRequest: {
          ...pullRef(p.pull_request),
          merged: p.pull_request.merged ?? false,
          mergedBy: p.pull_request.merged_by?.login ?? null,
        },
      });
    }
    case 'check_run': {
      const { check_run: run } = body as Payload<'check_run'>;
      return acceptDelivery(githubCheckCompleted, deliveryId, {
        ...base,
        check: {
          kind: 'check_run',
          id: run.id,
          name: run.name,
          status: run.status,
          conclusion: run.conclusion,
          headSha: run.head_sha,
          headBranch: run.check_suite?.head_branch ?? null,
          pullRequestNumbers: run.pull_requests.map((pr) => pr.number),
        },
      });
    }
    case 'check_suite': {
      const { check_suite: suite } = body as Payload<'check_suite'>;
      return acceptDelivery(githubCheckCompleted, deliveryId, {
        ...base,
        check: {
          kind: 'check_suite',
          id: suite.id,
          name: suite.app?.name ?? null,
          status: suite.status ?? 'completed',
          conclusion: suite.conclusion,
          headSha: suite.head_sha,
          headBranch: suite.head_branch,
          pullRequestNumbers: suite.pull_requests.map((pr) => pr.number),
        },
      });
    }
    case 'workflow_run': {
      const { workflow_run: run } = body as Payload<'workflow_run'>;
      return acceptDelivery(githubCheckCompleted, deliveryId, {
        ...base,
        check: {
          kind: 'workflow_run',
          id: run.id,
          name: run.name ?? null,
          status: run.status ?? 'completed',
          conclusion: run.conclusion,
          headSha: run.head_sha,
          headBranch: run.head_branch,
          pullRequestNumbers: (run.pull_requests ?? []).flatMap((pr) => (pr ? [pr.number] : [])),
        },
      });
    }
    case 'status': {
      const p = body as Payload<'status'>;
      // A status names no pull request: its commit's branches (at most ten) stand for it.
      const pending = p.state === 'pending';
      return acceptDelivery(githubCheckCompleted, deliveryId, {
        ...base,
        check: {
          kind: 'status',
          id: p.id,
          name: p.context,
          status: pending ? 'in_progress' : 'completed',
          conclusion: pending ? null : p.state,
          headSha: p.sha,
          headBranch: p.branches[0]?.name ?? null,
          pullRequestNumbers: [],
        },
      });
    }
    case 'installation':
    case 'installation_repositories':
      return acceptDelivery(githubInstallation, deliveryId, { ...base, ...installationChange(event, body) });
    default: {
      const p = body as Payload<'ping'>;
      return acceptDelivery(githubPing, deliveryId, {
        ...base,
        hookId: p.hook_id ?? null,
        zen: p.zen ?? null,
      });
    }
  }
}

interface PullRequestFields {
  number: number;
  title: string;
  body: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  user: { login: string } | null;
  html_url: string;
}

function pullRef(pr: PullRequestFields) {
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    author: pr.user?.login ?? 'ghost',
    htmlUrl: pr.html_url,
  };
}

type InstallationChange = Pick<
  DataOf<typeof githubInstallation>,
  'installation' | 'repositoriesAdded' | 'repositoriesRemoved'
>;

/** `installation.created` lists the repositories granted, `installation.deleted` those lost. */
function installationChange(
  event: 'installation' | 'installation_repositories',
  body: unknown,
): InstallationChange {
  if (event === 'installation_repositories') {
    const p = body as Payload<'installation_repositories'>;
    return {
      installation: { id: p.installation.id, account: accountName(p.installation.account) },
      repositoriesAdded: p.repositories_added.map((r) => r.full_name),
      repositoriesRemoved: p.repositories_removed.map((r) => r.full_name ?? r.name ?? String(r.id)),
    };
  }
  const p = body as Payload<'installation'>;
  const listed = ('repositories' in p ? (p.repositories ?? []) : []).map((r) => r.full_name);
  return {
    installation: { id: p.installation.id, account: accountName(p.installation.account) },
    repositoriesAdded: p.action === 'created' ? listed : [],
    repositoriesRemoved: p.action === 'deleted' ? listed : [],
  };
}

/** An installation belongs to a user or organization (`login`) or to an enterprise (`slug`). */
function accountName(account: unknown): string {
  const a = (account ?? {}) as { login?: string; slug?: string; name?: string };
  return a.login ?? a.slug ?? a.name ?? 'unknown';
}
