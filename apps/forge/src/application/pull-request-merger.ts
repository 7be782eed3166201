import { Inject, Injectable } from '@nestjs/common';
import { localForgeNoreplyEmail } from '@horizon/local-forge-client';
import { FORGE_CONFIG } from '../config';
import type { ForgeConfig } from '../config';
import { ForgeError } from '../domain/errors';
import { ForgeEvents } from '../domain/events';
import { BareRepositories } from '../git/bare-repos';
import { PullRequestRepository, type PullRow } from '../persistence/pull-request.repository';
import { ForgeTransactions } from '../persistence/transactions';
import { MergeReadiness } from './merge-readiness';
import { PullRequestFinder } from './pull-request-finder';

export interface MergeInput {
  sha?: string;
  message?: string;
}

/**
 * Merging a pull request: approval and mergeability checks, a real two-parent merge commit in
 * the bare repository, then the PR closed with its event. Merges of one repository run one at
 * a time, since they move the same base ref.
 */
@Injectable()
export class PullRequestMerger {
  private readonly mergeLocks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly finder: PullRequestFinder,
    private readonly readiness: MergeReadiness,
    private readonly git: BareRepositories,
    private readonly pulls: PullRequestRepository,
    private readonly transactions: ForgeTransactions,
    private readonly events: ForgeEvents,
    @Inject(FORGE_CONFIG) private readonly config: Pick<ForgeConfig, 'FORGE_REQUIRE_APPROVAL'>,
  ) {}

  async merge(owner: string, name: string, number: number, input: MergeInput, user: string) {
    const key = `${owner}/${name}`;
    const previous = this.mergeLocks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.mergeNow(owner, name, number, input, user));
    this.mergeLocks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.mergeLocks.get(key) === run) this.mergeLocks.delete(key);
    }
  }

  private async mergeNow(owner: string, name: string, number: number, input: MergeInput, user: string) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    if (pr.state !== 'open')
      throw new ForgeError(405, `#${number} is ${pr.merged ? 'already merged' : 'closed'}`);
    if (input.sha && input.sha !== pr.headSha)
      throw new ForgeError(409, `head is ${pr.headSha}, not ${input.sha}: the branch moved`);
    if (this.config.FORGE_REQUIRE_APPROVAL) {
      const approval = await this.readiness.approval(pr);
      if (!approval.approved)
        throw new ForgeError(
          405,
          approval.changesRequestedBy.length
            ? `changes requested by ${approval.changesRequestedBy.join(', ')}`
            : 'it needs an approving review (FORGE_REQUIRE_APPROVAL)',
        );
    }
    const check = await this.readiness.mergeability(owner, name, pr);
    if (!check.mergeable) throw new ForgeError(405, `not mergeable: ${check.reason}`);
    const sha = await this.git.merge(owner, name, {
      baseRef: pr.baseRef,
      baseSha: check.baseSha,
      headSha: pr.headSha,
      tree: check.tree,
      message: input.message ?? `Merge pull request #${number} from ${pr.headRef}\n\n${pr.title}`,
      author: { name: user, email: localForgeNoreplyEmail(user) },
    });
    const conflicts = await this.newlyConflicting(owner, name, pr);
    return this.transactions.run(async (tx) => {
      const merged = await this.pulls.update(tx, pr.id, {
        state: 'closed',
        merged: true,
        mergedBy: user,
        mergeCommitSha: sha,
        mergedBaseSha: check.baseSha,
        closedAt: new Date(),
      });
      return {
        value: merged,
        events: [
          this.events.pullRequest(repo, merged, 'closed', user),
          ...conflicts.map((c) => this.events.mergeConflict(repo, c.pr, number, c.reason, user)),
        ],
      };
    });
  }

  /**
   * The other open pull requests on the same base that no longer merge cleanly into it, checked
   * right after the merge (each a `merge_conflict` event: Horizon rebases its own).
   */
  private async newlyConflicting(owner: string, name: string, merged: PullRow) {
    const open = await this.pulls.list(merged.repositoryId, 'open');
    const conflicts: { pr: PullRow; reason: string }[] = [];
    for (const pr of open) {
      if (pr.id === merged.id || pr.baseRef !== merged.baseRef) continue;
      const check = await this.readiness.mergeability(owner, name, pr);
      if (!check.mergeable && check.reason.startsWith('merge conflict'))
        conflicts.push({ pr, reason: check.reason });
    }
    return conflicts;
  }
}
