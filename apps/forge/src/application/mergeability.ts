import { Injectable } from '@nestjs/common';
import { BareRepositories } from '../git/bare-repos';
import type { PullRow } from '../persistence/pull-request.repository';

/** Whether a pull request's head merges cleanly into its base now, and why not. */
@Injectable()
export class Mergeability {
  constructor(private readonly git: BareRepositories) {}

  async check(owner: string, name: string, pr: Pick<PullRow, 'baseRef' | 'headSha'>) {
    const baseSha = await this.git.branchSha(owner, name, pr.baseRef);
    if (!baseSha) return { mergeable: false as const, reason: `base branch ${pr.baseRef} no longer exists` };
    const result = await this.git.mergeability(owner, name, baseSha, pr.headSha);
    return result.mergeable ? { ...result, baseSha } : result;
  }
}
