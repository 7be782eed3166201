import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgeReview, Tx } from '@horizon/db';
import type { ReviewState } from '../domain/approval';

export type ReviewRow = ForgeReview;

/** Submitted reviews of pull requests (`ForgeReview`). */
@Injectable()
export class ReviewRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  ofPull(pullRequestId: number): Promise<ReviewRow[]> {
    return this.db.prisma.forgeReview.findMany({ where: { pullRequestId }, orderBy: { id: 'asc' } });
  }

  find(pullRequestId: number, id: number): Promise<ReviewRow | null> {
    return this.db.prisma.forgeReview.findFirst({ where: { id, pullRequestId } });
  }

  create(
    tx: Tx,
    review: {
      pullRequestId: number;
      author: string;
      state: ReviewState;
      body: string | null;
      commitSha: string;
    },
  ): Promise<ReviewRow> {
    return tx.forgeReview.create({ data: review });
  }
}
