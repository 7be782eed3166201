import { Injectable } from '@nestjs/common';
import { approvalOf } from '../domain/approval';
import { BareRepositories } from '../git/bare-repos';
import type { PullRow } from '../persistence/pull-request.repository';
import { ReviewRepository } from '../persistence/review.repository';

/** What a merge waits on: the reviewers' approval, and a head that merges cleanly into its base now. */
@Injectable()
export class MergeReadiness {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly git: BareRepositories,
  ) {}

  async approval(pr: Pick<PullRow, 'id'>) {
    return approvalOf(await this.reviews.ofPull(pr.id));
  }

  async mergeability(owner: string, name: string, pr: Pick<PullRow, 'baseRef' | 'headSha'>) {
    const baseSha = await this.git.branchSha(owner, name, pr.baseRef);
    if (!baseSha) return { mergeable: false as const, reason: `base branch ${pr.baseRef} no longer exists` };
    const result = await this.git.mergeability(owner, name, baseSha, pr.headSha);
    return result.mergeable ? { ...result, baseSha } : result;
  }
}
