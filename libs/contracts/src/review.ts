import { z } from 'zod';
import { readFencedJson } from './fenced-json';

/**
 * The agent review station (issue #16): what a `review` run produces, and what a repository
 * declares about it in `.horizon/config.yaml`.
 */

export const reviewVerdicts = ['approve', 'comment', 'request_changes'] as const;
export const reviewVerdictSchema = z.enum(reviewVerdicts);
export type ReviewVerdict = z.infer<typeof reviewVerdictSchema>;

/** One inline comment, on a line of the pull request's diff (the new side). */
export const agentReviewCommentSchema = z.strictObject({
  path: z.string().min(1),
  line: z.number().int().positive(),
  body: z.string().min(1).max(20_000),
  /** Replacement text for the line: posted as a GitHub ```suggestion block. */
  suggestion: z.string().max(20_000).optional(),
});
export type AgentReviewComment = z.infer<typeof agentReviewCommentSchema>;

/** The structured review a `review` run reports; the notifier posts it as one pull-request review. */
export const agentReviewSchema = z.strictObject({
  verdict: reviewVerdictSchema,
  summary: z.string().min(1).max(60_000),
  comments: z.array(agentReviewCommentSchema).max(50).default([]),
});
export type AgentReview = z.infer<typeof agentReviewSchema>;

/** `.horizon/config.yaml`'s `review:`; defaults when the file or the key is absent. */
export const repoReviewSettingsSchema = z.strictObject({
  /** The agent review at all: `false` reviews no pull request of the repository (nor its runs' cost). */
  enabled: z.boolean().default(true),
  /** Also review pull requests people open, not only Horizon's own. */
  humanPullRequests: z.boolean().default(false),
  /** Revise runs a `request_changes` verdict may start on a Horizon PR before a human is asked. */
  selfRevisions: z.number().int().min(0).max(5).default(1),
});
export type RepoReviewSettings = z.infer<typeof repoReviewSettingsSchema>;
export const defaultReviewSettings: RepoReviewSettings = {
  enabled: true,
  humanPullRequests: false,
  selfRevisions: 1,
};

/** The comment body GitHub shows: the text, then the proposed code as a suggestion block. */
export function reviewCommentBody(comment: AgentReviewComment): string {
  if (comment.suggestion === undefined) return comment.body;
  return `${comment.body}\n\n\`\`\`suggestion\n${comment.suggestion.replace(/\n$/, '')}\n\`\`\``;
}

/** Reads the review from a review run's last words (a fenced JSON block, see `readFencedJson`). */
export function readAgentReview(text: string | null | undefined) {
  return readFencedJson(text, agentReviewSchema, { what: 'review', shape: 'a "verdict" and a "summary"' });
}

/** An example the review prompt shows the agent, valid against `agentReviewSchema`. */
export const agentReviewExample: AgentReview = {
  verdict: 'request_changes',
  summary: 'What the change does well, and what must change before it merges.',
  comments: [
    {
      path: 'src/totals.ts',
      line: 12,
      body: 'Amounts are floats here; use integer cents.',
      suggestion: '  return Math.round(amount * 100);',
    },
  ],
};
