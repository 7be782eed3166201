import { setTimeout as sleep } from 'node:timers/promises';
import { envelopeFor, githubMergeConflict, githubPullRequest } from '@horizon/contracts';
import type { DataOf, Envelope, EnvelopeOf } from '@horizon/contracts';
import type { ForgePort, Mergeability, OpenPullRequest, RepoName } from './forge';
import { MERGEABILITY_POLLING, MergeabilityPolling, nextMergeabilityStep } from './mergeability-polling';

/** The merge, as ingress delivered it, with the envelope the conflicts are caused by. */
export type MergedPullRequest = Pick<Envelope, 'id' | 'correlationId'> & {
  data: DataOf<typeof githubPullRequest>;
};

export interface ConflictsAfterMergeOptions {
  /** Horizon's own pull requests, by head branch (`GITHUB_BRANCH_PREFIX`): only they are rebased. */
  isHorizonBranch: (headRef: string) => boolean;
  polling?: MergeabilityPolling;
  wait?: (ms: number) => Promise<void>;
}

/**
 * GitHub sends no event when a pull request stops merging cleanly. After a merge (the
 * `pull_request` `closed` + merged delivery), this asks GitHub about Horizon's other open pull
 * requests on the same base and answers each that no longer merges with the same
 * `hzn.ingress.github.merge_conflict` the local forge emits, so the orchestrator's routing starts
 * the rebase run. Each event's id is derived from the PR's head and the merge: a redelivered
 * merge publishes the same ids, which JetStream de-duplicates.
 */
export async function conflictsAfterMerge(
  forge: ForgePort,
  merged: MergedPullRequest,
  options: ConflictsAfterMergeOptions,
): Promise<EnvelopeOf<typeof githubMergeConflict>[]> {
  const { data } = merged;
  if (data.action !== 'closed' || !data.pullRequest.merged || !data.repository) return [];
  const repo: RepoName = { owner: data.repository.owner, repo: data.repository.name };
  const rivals = (await forge.openPullRequests(repo, data.pullRequest.baseRef)).filter(
    (pr) => pr.number !== data.pullRequest.number && options.isHorizonBranch(pr.headRef),
  );
  const answers = await Promise.all(
    rivals.map(async (pr) => ({
      pr,
      step: await settle(() => forge.mergeability(repo, pr.number), options),
    })),
  );
  return answers.flatMap(({ pr, step }) =>
    step.kind === 'conflicting' ? [conflictEnvelope(merged, pr, step.reason)] : [],
  );
}

async function settle(ask: () => Promise<Mergeability>, options: ConflictsAfterMergeOptions) {
  const polling = options.polling ?? MERGEABILITY_POLLING;
  const wait = options.wait ?? ((ms: number) => sleep(ms).then(() => undefined));
  for (let asked = 1; ; asked++) {
    const step = nextMergeabilityStep(await ask(), asked, polling);
    if (step.kind !== 'ask_again') return step;
    await wait(step.afterMs);
  }
}

function conflictEnvelope(
  merged: MergedPullRequest,
  pr: OpenPullRequest,
  reason: string | null,
): EnvelopeOf<typeof githubMergeConflict> {
  const { data } = merged;
  const deliveryId = `merge-conflict:${data.repository!.fullName}#${pr.number}@${pr.headSha}:after#${data.pullRequest.number}`;
  const conflict: DataOf<typeof githubMergeConflict> = {
    delivery: {
      source: 'github',
      deliveryId,
      event: 'merge_conflict',
      action: null,
      receivedAt: new Date().toISOString(),
    },
    installationId: data.installationId,
    repository: data.repository,
    sender: data.sender,
    pullRequest: pr,
    mergedNumber: data.pullRequest.number,
    // GitHub does not say which files conflict; the rebase run finds them when it merges the base in.
    reason: reason ?? `merge conflict with ${pr.baseRef}`,
  };
  return envelopeFor(githubMergeConflict, conflict, {
    id: `github:${deliveryId}`,
    source: 'github',
    causedBy: merged,
  });
}
