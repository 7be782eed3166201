import { conflictsAfterMerge } from '@horizon/integrations-github';
import type { DataOf, Envelope, forgeFindMergeConflicts } from '@horizon/contracts';
import { HandlerOutcome, Outcome, RpcError } from '@horizon/messaging';
import type { Publisher } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import { classifyGitHubError } from './github-errors';
import type { ForgeAccess } from './github-access';

type FindMergeConflicts = DataOf<typeof forgeFindMergeConflicts>;

/**
 * GitHub's half of the merge-conflict station (docs/stations.md): after a Horizon PR merged,
 * asks GitHub, with a `pull_requests: read` token minted for the merged item's run, which of
 * Horizon's other open PRs on that base no longer merge, and publishes a
 * `hzn.ingress.github.merge_conflict` for each, as the local forge does itself. The events' ids
 * are stable per PR head and merge, so a redelivered command publishes nothing twice.
 */
export class MergeConflictFinder {
  constructor(
    private readonly github: Pick<ForgeAccess, 'reader'>,
    private readonly publisher: Pick<Publisher, 'publish'>,
  ) {}

  async find(cmd: FindMergeConflicts, causedBy: Envelope, logger: Logger): Promise<HandlerOutcome> {
    const repo = cmd.merged.repository?.fullName;
    if (!repo) return Outcome.reject('the merged pull request names no repository');
    try {
      const forge = await this.github.reader({ runId: cmd.runId, repo });
      const conflicts = await conflictsAfterMerge(
        forge,
        { id: causedBy.id, correlationId: causedBy.correlationId, data: cmd.merged },
        { isHorizonBranch: (head) => head.startsWith(cmd.branchPrefix) },
      );
      for (const conflict of conflicts) await this.publisher.publish(conflict);
      logger.info(
        {
          repo,
          merged: cmd.merged.pullRequest.number,
          conflicting: conflicts.map((c) => c.data.pullRequest.number),
        },
        'open pull requests checked for conflicts after a merge',
      );
      return Outcome.ack();
    } catch (err) {
      if (err instanceof RpcError && err.code === 'not_configured') return Outcome.reject(err.message);
      if (err instanceof RpcError) return Outcome.retry(`identity-broker: ${err.message}`);
      const failure = classifyGitHubError(err);
      if (failure.kind === 'transient' || failure.kind === 'rate_limited')
        return Outcome.retry(`conflicts after ${repo}#${cmd.merged.pullRequest.number}: ${failure.message}`);
      return Outcome.reject(
        `conflicts after ${repo}#${cmd.merged.pullRequest.number} could not be checked: ${failure.message}`,
      );
    }
  }
}
