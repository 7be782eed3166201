import { Injectable } from '@nestjs/common';
import { budgetLimitsSchema, type BudgetLimits } from '@horizon/contracts';
import type { Tx } from '@horizon/db';
import type { Spent } from '../domain/budget';

interface SpentRow {
  item: number;
  itemCost: number;
  project: number;
  projectCost: number;
  person: number;
  personCost: number;
}

/** Tokens are every input and output token the providers reported; cost is of the priced requests. */
const spentSql = `
SELECT
  coalesce(sum(u."inputTokens" + u."outputTokens") FILTER (WHERE w.id = $1::uuid), 0)::float8 AS item,
  coalesce(sum(u."costUsd") FILTER (WHERE w.id = $1::uuid), 0)::float8 AS "itemCost",
  coalesce(sum(u."inputTokens" + u."outputTokens") FILTER (WHERE w.repo = $2 AND u.at >= $3), 0)::float8 AS project,
  coalesce(sum(u."costUsd") FILTER (WHERE w.repo = $2 AND u.at >= $3), 0)::float8 AS "projectCost",
  coalesce(sum(u."inputTokens" + u."outputTokens") FILTER (WHERE w."ownerId" = $4::uuid AND u.at >= $5), 0)::float8 AS person,
  coalesce(sum(u."costUsd") FILTER (WHERE w."ownerId" = $4::uuid AND u.at >= $5), 0)::float8 AS "personCost"
FROM "ModelUsage" u JOIN "Run" r ON r.id = u."runId" JOIN "WorkItem" w ON w.id = r."workItemId"
WHERE w.id = $1::uuid OR (w.repo = $2 AND u.at >= $3) OR (w."ownerId" = $4::uuid AND u.at >= $5)`;

/** What the budgets need from the model usage kept here, and each repository's declared limits. */
@Injectable()
export class BudgetRepository {
  /** Spent by the item, its repository since `monthStart`, its owner since `dayStart`. */
  async spent(
    tx: Tx,
    item: { id: string; repo: string; ownerId: string | null },
    monthStart: Date,
    dayStart: Date,
  ): Promise<{ item: Spent; project: Spent; personDay: Spent | null }> {
    const [row] = await tx.$queryRawUnsafe<SpentRow[]>(
      spentSql,
      item.id,
      item.repo,
      monthStart,
      item.ownerId,
      dayStart,
    );
    return {
      item: { tokens: row!.item, costUsd: row!.itemCost },
      project: { tokens: row!.project, costUsd: row!.projectCost },
      personDay: item.ownerId ? { tokens: row!.person, costUsd: row!.personCost } : null,
    };
  }

  /** The repository's `budgets:`, or null when no snapshot has told of any. */
  async repoLimits(tx: Tx, repo: string): Promise<BudgetLimits | null> {
    const row = await tx.repoBudgetSettings.findUnique({ where: { repo } });
    return row ? budgetLimitsSchema.parse(row.limits) : null;
  }

  async saveRepoLimits(tx: Tx, repo: string, commit: string, limits: BudgetLimits): Promise<void> {
    await tx.repoBudgetSettings.upsert({
      where: { repo },
      create: { repo, commit, limits },
      update: { commit, limits },
    });
  }
}
