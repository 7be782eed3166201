import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgePullRequest, Tx } from '@horizon/db';

export type PullRow = ForgePullRequest;

export type NewPull = Pick<
  PullRow,
  'repositoryId' | 'number' | 'title' | 'body' | 'headRef' | 'headSha' | 'baseRef' | 'author'
>;

/** The forge's pull requests (`ForgePullRequest`), numbered per repository. */
@Injectable()
export class PullRequestRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  find(repositoryId: number, number: number): Promise<PullRow | null> {
    return this.db.prisma.forgePullRequest.findUnique({
      where: { repositoryId_number: { repositoryId, number } },
    });
  }

  list(repositoryId: number, state: 'open' | 'closed' | 'all'): Promise<PullRow[]> {
    return this.db.prisma.forgePullRequest.findMany({
      where: { repositoryId, ...(state === 'all' ? {} : { state }) },
      orderBy: { number: 'desc' },
    });
  }

  findOpen(tx: Tx, repositoryId: number, headRef: string, baseRef: string): Promise<PullRow | null> {
    return tx.forgePullRequest.findFirst({ where: { repositoryId, headRef, baseRef, state: 'open' } });
  }

  openWithHead(tx: Tx, repositoryId: number, headRef: string): Promise<PullRow[]> {
    return tx.forgePullRequest.findMany({ where: { repositoryId, headRef, state: 'open' } });
  }

  withHeadSha(tx: Tx, repositoryId: number, headSha: string): Promise<PullRow[]> {
    return tx.forgePullRequest.findMany({ where: { repositoryId, headSha } });
  }

  create(tx: Tx, pull: NewPull): Promise<PullRow> {
    return tx.forgePullRequest.create({ data: { ...pull, state: 'open' } });
  }

  update(
    tx: Tx,
    id: number,
    changes: Partial<
      Pick<
        PullRow,
        | 'title'
        | 'body'
        | 'state'
        | 'closedAt'
        | 'headSha'
        | 'merged'
        | 'mergedBy'
        | 'mergeCommitSha'
        | 'mergedBaseSha'
      >
    >,
  ): Promise<PullRow> {
    return tx.forgePullRequest.update({ where: { id }, data: changes });
  }

  setRequestedReviewers(id: number, reviewers: string[]): Promise<PullRow> {
    return this.db.prisma.forgePullRequest.update({ where: { id }, data: { requestedReviewers: reviewers } });
  }
}
