import type { PrismaClient } from '@horizon/db';
import { approvalOf } from './domain/approval';
import { ForgeError } from './domain/errors';
import type { ForgeEvents } from './domain/events';
import { emit } from './emit';
import type { ForgeSettings, PullRow, RepoRow } from './forge.service';
import type { BareRepositories } from './git/bare-repos';

export interface MergeInput {
  sha?: string;
  message?: string;
}

type PullLookup = (owner: string, name: string, number: number) => Promise<{ repo: RepoRow; pr: PullRow }>;

/**
 * Merging a pull request: approval and mergeability checks, a real two-parent merge commit in
 * the bare repository, then the PR closed with its event. Merges of one repository run one at
 * a time, since they move the same base ref.
 */
export class PullRequestMerger {
  private readonly mergeLocks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repos: BareRepositories,
    private readonly events: ForgeEvents,
    private readonly settings: ForgeSettings,
    private readonly pull: PullLookup,
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
    const { repo, pr } = await this.pull(owner, name, number);
    if (pr.state !== 'open')
      throw new ForgeError(405, `#${number} is ${pr.merged ? 'already merged' : 'closed'}`);
    if (input.sha && input.sha !== pr.headSha)
      throw new ForgeError(409, `head is ${pr.headSha}, not ${input.sha}: the branch moved`);
    if (this.settings.requireApproval) {
      const approval = approvalOf(
        await this.prisma.forgeReview.findMany({ where: { pullRequestId: pr.id } }),
      );
      if (!approval.approved)
        throw new ForgeError(
          405,
          approval.changesRequestedBy.length
            ? `changes requested by ${approval.changesRequestedBy.join(', ')}`
            : 'it needs an approving review (FORGE_REQUIRE_APPROVAL)',
        );
    }
    const check = await this.mergeCheck(owner, name, pr);
    if (!check.mergeable) throw new ForgeError(405, `not mergeable: ${check.reason}`);
    const sha = await this.repos.merge(owner, name, {
      baseRef: pr.baseRef,
      baseSha: check.baseSha,
      headSha: pr.headSha,
      tree: check.tree,
      message: input.message ?? `Merge pull request #${number} from ${pr.headRef}\n\n${pr.title}`,
      author: { name: user, email: `${user}@users.noreply.horizon.local` },
    });
    return this.prisma.$transaction(async (tx) => {
      const merged = await tx.forgePullRequest.update({
        where: { id: pr.id },
        data: {
          state: 'closed',
          merged: true,
          mergedBy: user,
          mergeCommitSha: sha,
          mergedBaseSha: check.baseSha,
          closedAt: new Date(),
        },
      });
      await emit(tx, [this.events.pullRequest(repo, merged, 'closed', user)]);
      return merged;
    });
  }

  /** Whether the PR's head merges cleanly into its base now, and why not. */
  async mergeCheck(owner: string, name: string, pr: PullRow) {
    const baseSha = await this.repos.branchSha(owner, name, pr.baseRef);
    if (!baseSha) return { mergeable: false as const, reason: `base branch ${pr.baseRef} no longer exists` };
    const result = await this.repos.mergeability(owner, name, baseSha, pr.headSha);
    return result.mergeable ? { ...result, baseSha } : result;
  }
}
