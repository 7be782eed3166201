import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgeLabel, Tx } from '@horizon/db';

/** A label as the API answers it: GitHub's label object without its URLs. */
export type LabelView = Pick<ForgeLabel, 'id' | 'name' | 'color' | 'description'>;

const VIEW = { id: true, name: true, color: true, description: true } as const;

/** Repositories' labels (`ForgeLabel`) and the pull requests that carry them (`ForgePullRequestLabel`). */
@Injectable()
export class LabelRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** The labels on a pull request, by name. */
  onPull(pullRequestId: number, tx: Tx = this.db.prisma): Promise<LabelView[]> {
    return tx.forgeLabel.findMany({
      where: { pullRequests: { some: { pullRequestId } } },
      select: VIEW,
      orderBy: { name: 'asc' },
    });
  }

  /**
   * Puts the labels `names` on a pull request, creating those the repository lacks, and answers
   * the ones it did not carry yet, in the order asked. Both inserts skip rows that exist, so two
   * requests adding the same label at once announce it once.
   */
  async attach(
    tx: Tx,
    pull: { repositoryId: number; pullRequestId: number },
    names: string[],
    addedBy: string,
  ): Promise<LabelView[]> {
    const { repositoryId, pullRequestId } = pull;
    await tx.forgeLabel.createMany({
      data: names.map((name) => ({ repositoryId, name })),
      skipDuplicates: true,
    });
    const labels = await tx.forgeLabel.findMany({
      where: { repositoryId, name: { in: names } },
      select: VIEW,
    });
    const attached = await tx.forgePullRequestLabel.createManyAndReturn({
      data: labels.map((label) => ({ pullRequestId, labelId: label.id, addedBy })),
      skipDuplicates: true,
      select: { labelId: true },
    });
    const fresh = new Set(attached.map((a) => a.labelId));
    return names.flatMap((name) => labels.filter((l) => l.name === name && fresh.has(l.id)));
  }

  /** Takes the label `name` off a pull request; null when the pull request did not carry it. */
  async detach(
    tx: Tx,
    pull: { repositoryId: number; pullRequestId: number },
    name: string,
  ): Promise<LabelView | null> {
    const label = await tx.forgeLabel.findUnique({
      where: { repositoryId_name: { repositoryId: pull.repositoryId, name } },
      select: VIEW,
    });
    if (!label) return null;
    const { count } = await tx.forgePullRequestLabel.deleteMany({
      where: { pullRequestId: pull.pullRequestId, labelId: label.id },
    });
    return count > 0 ? label : null;
  }
}
