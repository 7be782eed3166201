import { z } from 'zod';
import { defineContract } from './contract';
import { deliverySchema } from './ingress-delivery';

/** GitHub's deliveries (and the local forge's same events), normalized by ingress. */
const actor = z.object({
  id: z.string(),
  login: z.string(),
  type: z.enum(['User', 'Bot', 'Organization', 'Mannequin']),
});
const githubRepo = z.object({
  id: z.number().int(),
  owner: z.string(),
  name: z.string(),
  fullName: z.string(),
});
const githubBase = {
  delivery: deliverySchema,
  installationId: z.number().int().nullable(),
  repository: githubRepo.nullable(),
  sender: actor.nullable(),
};
const pullRef = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  headRef: z.string(),
  headSha: z.string(),
  baseRef: z.string(),
  author: z.string(),
  htmlUrl: z.string(),
});

export const githubPullRequest = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.pull_request',
  version: 1,
  description: 'A pull request was opened, synchronized, closed (merged or not), or labeled or unlabeled.',
  data: z.object({
    ...githubBase,
    action: z.enum(['opened', 'synchronize', 'closed', 'labeled', 'unlabeled']),
    pullRequest: pullRef.extend({ merged: z.boolean(), mergedBy: z.string().nullable() }),
    /** The label `labeled` / `unlabeled` is about. */
    label: z.string().optional(),
  }),
});

export const githubPullRequestReview = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.pull_request_review',
  version: 1,
  description: 'A review was submitted on a pull request.',
  data: z.object({
    ...githubBase,
    pullRequest: pullRef,
    review: z.object({
      id: z.number().int(),
      state: z.enum(['approved', 'changes_requested', 'commented', 'dismissed']),
      body: z.string().nullable(),
      author: z.string(),
      htmlUrl: z.string(),
    }),
  }),
});

export const githubPullRequestReviewComment = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.pull_request_review_comment',
  version: 1,
  description: 'A line comment was created on a pull request diff.',
  data: z.object({
    ...githubBase,
    pullRequest: pullRef,
    comment: z.object({
      id: z.number().int(),
      body: z.string(),
      path: z.string(),
      line: z.number().int().nullable(),
      author: z.string(),
      htmlUrl: z.string(),
    }),
  }),
});

export const githubIssueComment = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.issue_comment',
  version: 1,
  description: 'A comment was created on an issue or a pull request conversation.',
  data: z.object({
    ...githubBase,
    issue: z.object({
      number: z.number().int(),
      title: z.string(),
      isPullRequest: z.boolean(),
      htmlUrl: z.string(),
    }),
    comment: z.object({ id: z.number().int(), body: z.string(), author: z.string(), htmlUrl: z.string() }),
  }),
});

export const githubCheckCompleted = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.check',
  version: 1,
  description:
    'A check run, check suite or workflow run completed, or a commit status was set (`kind` says which).',
  data: z.object({
    ...githubBase,
    check: z.object({
      kind: z.enum(['check_run', 'check_suite', 'workflow_run', 'status']),
      id: z.number().int(),
      name: z.string().nullable(),
      status: z.string(),
      conclusion: z.string().nullable(),
      headSha: z.string(),
      headBranch: z.string().nullable(),
      pullRequestNumbers: z.array(z.number().int()),
    }),
  }),
});

export const githubMergeConflict = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.merge_conflict',
  version: 1,
  description:
    'A merge into its base left an open pull request on that base no longer merging cleanly (the local forge checks after each merge; GitHub sends no such event).',
  data: z.object({
    ...githubBase,
    pullRequest: pullRef,
    /** The pull request whose merge moved the base. */
    mergedNumber: z.number().int(),
    /** The forge's words, e.g. `merge conflict in menu.js`. */
    reason: z.string(),
  }),
});

export const githubInstallation = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.installation',
  version: 1,
  description: 'The GitHub App was installed, removed, or its repositories changed.',
  data: z.object({
    ...githubBase,
    installation: z.object({ id: z.number().int(), account: z.string() }),
    repositoriesAdded: z.array(z.string()),
    repositoriesRemoved: z.array(z.string()),
  }),
});

export const githubPing = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.github.ping',
  version: 1,
  description: 'GitHub checked that the webhook is reachable.',
  data: z.object({ ...githubBase, hookId: z.number().int().nullable(), zen: z.string().nullable() }),
});
