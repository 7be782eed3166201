import { Injectable } from '@nestjs/common';
import type { ForgeCheckRun, Tx } from '@horizon/db';

export type CheckRunRow = ForgeCheckRun;

/** Completed check runs on commits (`ForgeCheckRun`). */
@Injectable()
export class CheckRunRepository {
  create(
    tx: Tx,
    run: { repositoryId: number; headSha: string; name: string; conclusion: string; summary: string },
  ): Promise<CheckRunRow> {
    return tx.forgeCheckRun.create({ data: run });
  }
}
