import { Injectable } from '@nestjs/common';
import type { FleetSelector, FleetState, RunOutcome, WorkItemState } from '@horizon/contracts';
import { Prisma } from '@horizon/db';
import type { Fleet, Tx } from '@horizon/db';

export type FleetRow = Fleet;

export interface NewFleet {
  readonly id: string;
  readonly title: string;
  readonly prompt: string;
  readonly verify: readonly string[] | null;
  readonly selector: FleetSelector;
  readonly cap: number;
  readonly priority: number;
  readonly ownerId: string | null;
  readonly createdBy: string;
  readonly at: Date;
}

export interface ProgressFactsRow {
  readonly dispatched: boolean;
  readonly itemState: WorkItemState | null;
  readonly outcome: RunOutcome | null;
  readonly durationMs: number | null;
}

/** A child with what the fleet reports of it: its work item's state and its latest run. */
export interface ChildFactsRow {
  readonly repo: string;
  readonly workItemId: string;
  readonly dispatched: boolean;
  readonly itemState: WorkItemState | null;
  readonly sourceRefs: Record<string, unknown> | null;
  readonly attempts: number;
  readonly runId: string | null;
  readonly outcome: RunOutcome | null;
  readonly failureReason: string | null;
  readonly report: { durationMs?: number; verification?: { exitCode: number }[] } | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Fleets and their children (`Fleet`, `FleetChild`). Every method runs in the caller's transaction. */
@Injectable()
export class FleetRepository {
  async create(tx: Tx, fleet: NewFleet, children: readonly { repo: string; workItemId: string }[]) {
    const row = await tx.fleet.create({
      data: {
        id: fleet.id,
        title: fleet.title,
        prompt: fleet.prompt,
        verify: fleet.verify ? [...fleet.verify] : [],
        selector: fleet.selector as Prisma.InputJsonValue,
        cap: fleet.cap,
        priority: fleet.priority,
        state: 'running',
        ownerId: fleet.ownerId,
        createdBy: fleet.createdBy,
        createdAt: fleet.at,
      },
    });
    await tx.fleetChild.createMany({
      data: children.map((c, position) => ({
        fleetId: fleet.id,
        repo: c.repo,
        workItemId: c.workItemId,
        position,
      })),
    });
    return row;
  }

  get(tx: Tx, id: string): Promise<FleetRow | null> {
    return tx.fleet.findUnique({ where: { id } });
  }

  list(tx: Tx, limit: number): Promise<FleetRow[]> {
    return tx.fleet.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  }

  async setState(tx: Tx, id: string, state: FleetState): Promise<void> {
    await tx.fleet.update({ where: { id }, data: { state } });
  }

  /** Repositories Horizon knows: those it has work in, schedules for, or a snapshot's settings of. */
  async knownRepos(tx: Tx): Promise<string[]> {
    const rows = await tx.$queryRaw<{ repo: string }[]>`
      SELECT "repo" FROM "WorkItem" UNION SELECT "repo" FROM "Schedule"
      UNION SELECT "repo" FROM "RepoReviewSettings"`;
    return rows.map((r) => r.repo);
  }

  /** Running fleets with children not fanned out yet, oldest first. */
  async withUndispatched(tx: Tx, limit: number): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT f."id"::text AS "id" FROM "Fleet" f WHERE f."state" = 'running'
        AND EXISTS (SELECT 1 FROM "FleetChild" c WHERE c."fleetId" = f."id" AND c."dispatchedAt" IS NULL)
      ORDER BY f."createdAt" LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /**
   * The fleet, locked until the transaction ends: changes to its children are then summed up
   * one transaction after another, each seeing the ones before (a PR's links name every sibling).
   */
  async lock(tx: Tx, id: string): Promise<FleetRow | null> {
    await tx.$queryRaw`SELECT 1 FROM "Fleet" WHERE "id" = ${id}::uuid FOR UPDATE`;
    return this.get(tx, id);
  }

  /** Children whose run holds capacity now. */
  async activeChildren(tx: Tx, fleetId: string, states: readonly WorkItemState[]): Promise<number> {
    const rows = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS "n" FROM "FleetChild" c JOIN "WorkItem" w ON w."id" = c."workItemId"
      WHERE c."fleetId" = ${fleetId}::uuid AND w."state"::text = ANY(${[...states]}::text[])`;
    return rows[0]?.n ?? 0;
  }

  /** The next children to fan out, in order. */
  undispatched(tx: Tx, fleetId: string, limit: number) {
    return tx.fleetChild.findMany({
      where: { fleetId, dispatchedAt: null },
      orderBy: { position: 'asc' },
      take: limit,
    });
  }

  async markDispatched(tx: Tx, fleetId: string, repos: readonly string[], at: Date): Promise<number> {
    const { count } = await tx.fleetChild.updateMany({
      where: { fleetId, repo: { in: [...repos] }, dispatchedAt: null },
      data: { dispatchedAt: at },
    });
    return count;
  }

  /**
   * Each child's state and its latest run's outcome and duration: what progress needs, read on
   * every change of a child, so nothing more (no JSON documents to decode).
   */
  progressFacts(tx: Tx, fleetId: string): Promise<ProgressFactsRow[]> {
    return tx.$queryRaw<ProgressFactsRow[]>`
      SELECT c."dispatchedAt" IS NOT NULL AS "dispatched", w."state"::text AS "itemState",
             r."outcome"::text AS "outcome", (r."report"->>'durationMs')::int AS "durationMs"
      FROM "FleetChild" c
      LEFT JOIN "WorkItem" w ON w."id" = c."workItemId"
      LEFT JOIN LATERAL (
        SELECT "outcome", "report" FROM "Run" WHERE "workItemId" = c."workItemId" ORDER BY "attempt" DESC LIMIT 1
      ) r ON true
      WHERE c."fleetId" = ${fleetId}::uuid`;
  }

  /**
   * Every child with its work item and latest run and, `withTokens`, the tokens the egress proxy
   * counted for all its runs.
   */
  childFacts(tx: Tx, fleetId: string, withTokens: boolean): Promise<ChildFactsRow[]> {
    const tokens = withTokens
      ? Prisma.sql`SELECT sum(m."inputTokens") AS "input", sum(m."outputTokens") AS "output"
          FROM "ModelUsage" m JOIN "Run" x ON x."id" = m."runId" WHERE x."workItemId" = c."workItemId"`
      : Prisma.sql`SELECT 0 AS "input", 0 AS "output"`;
    return tx.$queryRaw<ChildFactsRow[]>`
      SELECT c."repo", c."workItemId"::text AS "workItemId", c."dispatchedAt" IS NOT NULL AS "dispatched",
             w."state"::text AS "itemState", w."sourceRefs",
             COALESCE(r."attempt", 0)::int AS "attempts", r."id"::text AS "runId", r."outcome"::text AS "outcome",
             r."failureReason", r."report",
             COALESCE(u."input", 0)::float8 AS "inputTokens", COALESCE(u."output", 0)::float8 AS "outputTokens"
      FROM "FleetChild" c
      LEFT JOIN "WorkItem" w ON w."id" = c."workItemId"
      LEFT JOIN LATERAL (
        SELECT "id", "attempt", "outcome", "failureReason", "report" FROM "Run"
        WHERE "workItemId" = c."workItemId" ORDER BY "attempt" DESC LIMIT 1
      ) r ON true
      LEFT JOIN LATERAL (${tokens}) u ON true
      WHERE c."fleetId" = ${fleetId}::uuid
      ORDER BY c."position"`;
  }
}
