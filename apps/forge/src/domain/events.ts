import { randomUUID } from 'node:crypto';
import {
  Contract,
  DataOf,
  Envelope,
  envelopeFor,
  githubCheckCompleted,
  githubIssueComment,
  githubMergeConflict,
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
} from '@horizon/contracts';
import type { PullRequest } from '@horizon/local-forge-client';

/**
 * The local forge's changes as the normalized GitHub ingress events, exactly as ingress would
 * publish them for GitHub (same contracts, `delivery.source = 'local'`), so the orchestrator
 * cannot tell a local pull request from a GitHub one. Pure: the caller writes the envelopes.
 */
export interface RepoFacts {
  id: number;
  owner: string;
  name: string;
}

/** What the events say of a pull request: the fields the forge's API answers with (`PullRequest`). */
export type PullFacts = Pick<
  PullRequest,
  'number' | 'title' | 'body' | 'headRef' | 'headSha' | 'baseRef' | 'author' | 'merged' | 'mergedBy'
>;

export interface ForgeEvent<C extends Contract = Contract> {
  contract: C;
  deliveryId: string;
  event: string;
  envelope: Envelope<DataOf<C>>;
}

/** The envelope id of a forge delivery: `local:<deliveryId>`, as ingress names GitHub's `github:<id>`. */
export const envelopeIdOf = (deliveryId: string) => `local:${deliveryId}`;

export class ForgeUrls {
  constructor(private readonly base: string) {}
  pull(repo: RepoFacts, number: number): string {
    return `${this.base}/${repo.owner}/${repo.name}/pull/${number}`;
  }
  review(repo: RepoFacts, number: number, id: number): string {
    return `${this.pull(repo, number)}#pullrequestreview-${id}`;
  }
  issueComment(repo: RepoFacts, number: number, id: number): string {
    return `${this.pull(repo, number)}#issuecomment-${id}`;
  }
  reviewComment(repo: RepoFacts, number: number, id: number): string {
    return `${this.pull(repo, number)}#discussion_r${id}`;
  }
}

/** GitHub marks app accounts with a `[bot]` suffix; the orchestrator tells its own comments apart by it. */
export function senderOf(login: string) {
  return { id: login, login, type: login.endsWith('[bot]') ? ('Bot' as const) : ('User' as const) };
}

function event<C extends Contract>(
  contract: C,
  eventName: string,
  action: string | null,
  build: (base: ReturnType<typeof baseOf>) => Omit<DataOf<C>, keyof ReturnType<typeof baseOf>>,
  repo: RepoFacts,
  sender: string,
): ForgeEvent<C> {
  const deliveryId = randomUUID();
  const base = baseOf(repo, sender, { deliveryId, event: eventName, action });
  const data = { ...base, ...build(base) } as DataOf<C>;
  const envelope = envelopeFor(contract, data, { id: envelopeIdOf(deliveryId), source: 'forge' });
  return { contract, deliveryId, event: eventName, envelope };
}

function baseOf(
  repo: RepoFacts,
  sender: string,
  d: { deliveryId: string; event: string; action: string | null },
) {
  return {
    delivery: { source: 'local' as const, ...d, receivedAt: new Date().toISOString() },
    installationId: null,
    repository: { id: repo.id, owner: repo.owner, name: repo.name, fullName: `${repo.owner}/${repo.name}` },
    sender: senderOf(sender),
  };
}

export class ForgeEvents {
  constructor(private readonly urls: ForgeUrls) {}

  private pullRef(repo: RepoFacts, pr: PullFacts) {
    return {
      number: pr.number,
      title: pr.title,
      body: pr.body,
      headRef: pr.headRef,
      headSha: pr.headSha,
      baseRef: pr.baseRef,
      author: pr.author,
      htmlUrl: this.urls.pull(repo, pr.number),
    };
  }

  pullRequest(repo: RepoFacts, pr: PullFacts, action: 'opened' | 'synchronize' | 'closed', sender: string) {
    return this.pullRequestEvent(repo, pr, { action }, sender);
  }

  /** A label put on or taken off a pull request: one event per label, as GitHub sends them. */
  label(repo: RepoFacts, pr: PullFacts, action: 'labeled' | 'unlabeled', label: string, sender: string) {
    return this.pullRequestEvent(repo, pr, { action, label }, sender);
  }

  private pullRequestEvent(
    repo: RepoFacts,
    pr: PullFacts,
    change: Pick<DataOf<typeof githubPullRequest>, 'action' | 'label'>,
    sender: string,
  ) {
    return event(
      githubPullRequest,
      'pull_request',
      change.action,
      () => ({
        ...change,
        pullRequest: { ...this.pullRef(repo, pr), merged: pr.merged, mergedBy: pr.mergedBy },
      }),
      repo,
      sender,
    );
  }

  review(
    repo: RepoFacts,
    pr: PullFacts,
    review: {
      id: number;
      state: 'approved' | 'changes_requested' | 'commented';
      body: string | null;
      author: string;
    },
  ) {
    return event(
      githubPullRequestReview,
      'pull_request_review',
      'submitted',
      () => ({
        pullRequest: this.pullRef(repo, pr),
        review: { ...review, htmlUrl: this.urls.review(repo, pr.number, review.id) },
      }),
      repo,
      review.author,
    );
  }

  reviewComment(
    repo: RepoFacts,
    pr: PullFacts,
    comment: { id: number; body: string; path: string; line: number | null; author: string },
  ) {
    return event(
      githubPullRequestReviewComment,
      'pull_request_review_comment',
      'created',
      () => ({
        pullRequest: this.pullRef(repo, pr),
        comment: { ...comment, htmlUrl: this.urls.reviewComment(repo, pr.number, comment.id) },
      }),
      repo,
      comment.author,
    );
  }

  issueComment(repo: RepoFacts, pr: PullFacts, comment: { id: number; body: string; author: string }) {
    return event(
      githubIssueComment,
      'issue_comment',
      'created',
      () => ({
        issue: {
          number: pr.number,
          title: pr.title,
          isPullRequest: true,
          htmlUrl: this.urls.pull(repo, pr.number),
        },
        comment: { ...comment, htmlUrl: this.urls.issueComment(repo, pr.number, comment.id) },
      }),
      repo,
      comment.author,
    );
  }

  /** An open pull request the merge of `mergedNumber` left unmergeable. */
  mergeConflict(repo: RepoFacts, pr: PullFacts, mergedNumber: number, reason: string, sender: string) {
    return event(
      githubMergeConflict,
      'merge_conflict',
      null,
      () => ({ pullRequest: this.pullRef(repo, pr), mergedNumber, reason }),
      repo,
      sender,
    );
  }

  checkRun(
    repo: RepoFacts,
    check: {
      id: number;
      name: string;
      conclusion: 'success' | 'neutral' | 'failure';
      headSha: string;
      pullRequestNumbers: number[];
    },
    sender: string,
  ) {
    return event(
      githubCheckCompleted,
      'check_run',
      'completed',
      () => ({
        check: {
          kind: 'check_run' as const,
          id: check.id,
          name: check.name,
          status: 'completed',
          conclusion: check.conclusion,
          headSha: check.headSha,
          headBranch: null,
          pullRequestNumbers: check.pullRequestNumbers,
        },
      }),
      repo,
      sender,
    );
  }
}
