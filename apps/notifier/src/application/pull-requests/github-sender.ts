import type { ForgePort, RepoName } from '@horizon/integrations-github';
import { RpcError } from '@horizon/messaging';
import type { ChannelSender } from '../channels';
import type { ForgeAccesses } from './pull-request-delivery';
import { classifyGitHubError } from './github-errors';
import { ForgeNotConfigured } from './local-access';

/** A GitHub (or local forge) call that failed; `permanent` when no retry changes the answer. */
export class GitHubCallError extends Error {
  override readonly name = 'GitHubCallError';
  constructor(
    message: string,
    readonly permanent: boolean,
    /** Set when GitHub rate limited the call: retry after exactly this long. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * GitHub PR comments, reviews and check runs, as the app (the run's installation token, or
 * `horizon[bot]` on the local forge): a check run on each commit a run pushed, concluded from
 * its verification (or an agent review's verdict), a comment on a PR a revise run pushed to,
 * and an agent review as one pull-request review with its inline comments. None is edited
 * later, so a crash between GitHub's answer and the record can repeat one; a check run
 * repeated under the same name is shown once by GitHub.
 */
export function githubSender(forges: ForgeAccesses): ChannelSender {
  return {
    async send(n) {
      const { forge, repo, runId, number } = n.target;
      if ((forge !== 'github' && forge !== 'local') || !repo || !runId)
        throw new GitHubCallError('github target needs forge, repo and runId', true);
      const [owner, name] = repo.split('/') as [string, string];
      const repoName: RepoName = { owner, repo: name };
      try {
        const client: ForgePort = await forges[forge].reporter({ runId, repo });
        if (n.checkRun) {
          const check = await client.createCheckRun(repoName, {
            headSha: n.checkRun.headSha,
            name: n.title,
            results: n.checkRun.results,
            ...(n.checkRun.conclusion ? { conclusion: n.checkRun.conclusion, summary: n.body } : {}),
          });
          return String(check.id);
        }
        if (!number) throw new GitHubCallError('github comment target needs number', true);
        if (n.review) {
          const review = await client.createReview(repoName, Number(number), { ...n.review, body: n.body });
          return String(review.id);
        }
        const comment = await client.comment(
          repoName,
          Number(number),
          n.title ? `**${n.title}**\n\n${n.body}` : n.body,
        );
        return String(comment.id);
      } catch (err) {
        throw asCallError(err);
      }
    },
  };
}

function asCallError(err: unknown): GitHubCallError {
  if (err instanceof GitHubCallError) return err;
  if (err instanceof ForgeNotConfigured) return new GitHubCallError(err.message, true);
  if (err instanceof RpcError)
    return new GitHubCallError(`identity-broker ${err.code}: ${err.message}`, err.code === 'not_configured');
  const failure = classifyGitHubError(err);
  switch (failure.kind) {
    case 'rate_limited':
      return new GitHubCallError(failure.message, false, failure.retryAfterMs);
    case 'refused':
    case 'unprocessable':
      return new GitHubCallError(failure.message, true);
    case 'transient':
      return new GitHubCallError(failure.message, false);
  }
}
