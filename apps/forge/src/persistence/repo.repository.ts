import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgeRepository, Tx } from '@horizon/db';

export type RepoRow = ForgeRepository;

/** The forge's repositories (`ForgeRepository`): what git does not hold. */
@Injectable()
export class RepoRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  find(owner: string, name: string): Promise<RepoRow | null> {
    return this.db.prisma.forgeRepository.findUnique({ where: { owner_name: { owner, name } } });
  }

  create(repo: { owner: string; name: string; defaultBranch: string }): Promise<RepoRow> {
    return this.db.prisma.forgeRepository.create({ data: repo });
  }

  list(): Promise<RepoRow[]> {
    return this.db.prisma.forgeRepository.findMany({ orderBy: [{ owner: 'asc' }, { name: 'asc' }] });
  }

  /** The next pull request number of the repository, taken in the caller's transaction. */
  async takeNumber(tx: Tx, repositoryId: number): Promise<number> {
    const { nextNumber } = await tx.forgeRepository.update({
      where: { id: repositoryId },
      data: { nextNumber: { increment: 1 } },
    });
    return nextNumber - 1;
  }
}
