import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgeComment, Tx } from '@horizon/db';

export type CommentRow = ForgeComment;

/** Comments on pull requests (`ForgeComment`): conversation or line, alone or in a review. */
@Injectable()
export class CommentRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  ofPull(pullRequestId: number): Promise<CommentRow[]> {
    return this.db.prisma.forgeComment.findMany({ where: { pullRequestId }, orderBy: { id: 'asc' } });
  }

  ofReview(reviewId: number): Promise<CommentRow[]> {
    return this.db.prisma.forgeComment.findMany({ where: { reviewId }, orderBy: { id: 'asc' } });
  }

  create(
    tx: Tx,
    comment: {
      pullRequestId: number;
      reviewId?: number;
      author: string;
      body: string;
      path: string | null;
      line: number | null;
    },
  ): Promise<CommentRow> {
    return tx.forgeComment.create({ data: comment });
  }
}
