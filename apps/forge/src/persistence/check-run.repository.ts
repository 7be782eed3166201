import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, ForgeCheckRun, Tx } from '@horizon/db';

export type CheckRunRow = ForgeCheckRun;

/** Completed check runs on commits (`ForgeCheckRun`). */
@Injectable()
export class CheckRunRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  create(
    tx: Tx,
    run: { repositoryId: number; headSha: string; name: string; conclusion: string; summary: string },
  ): Promise<CheckRunRow> {
    return tx.forgeCheckRun.create({ data: run });
  }

  /** The check runs on one commit, oldest first. */
  onCommit(repositoryId: number, headSha: string): Promise<CheckRunRow[]> {
    return this.db.prisma.forgeCheckRun.findMany({
      where: { repositoryId, headSha },
      orderBy: { id: 'asc' },
    });
  }
}
