import { Injectable } from '@nestjs/common';
import type { BudgetExtra, SourceRefs, WorkItemKind, WorkItemState } from '@horizon/contracts';
import { Prisma } from '@horizon/db';
import type { Tx, WorkItem } from '@horizon/db';
import type { DependencyEdge, PullRequestTarget, WorkItemAuditRecord } from '../domain';

export type WorkItemRow = WorkItem;

export interface NewWorkItem {
  readonly id: string;
  readonly kind: WorkItemKind;
  readonly repo: string;
  readonly title: string;
  readonly description: string;
  readonly priority: number;
  readonly labels: readonly string[];
  readonly autoStart: boolean | null;
  readonly ownerId: string | null;
  readonly sourceRefs: SourceRefs;
  /** The plan item this one was carved out of. */
  readonly parentId?: string | null;
  readonly at: Date;
}

/** Columns a transition may change along with the state. */
export interface WorkItemChanges {
  readonly state?: WorkItemState;
  readonly stateEnteredAt?: Date;
  readonly branch?: string | null;
  readonly sourceRefs?: SourceRefs;
  readonly notBefore?: Date | null;
  readonly redrivenAt?: Date | null;
  /** While `waiting`: why, and where an answer takes it (`WaitingFor`); null once it moves on. */
  readonly waitingFor?: WaitingFor | null;
  readonly budgetExtra?: BudgetExtra | null;
}

/** The budget an item waits at. */
export interface WaitingFor {
  readonly kind: 'run' | 'start';
  readonly reason: string;
  /** The state an answer moves it back to. */
  readonly resumeTo: WorkItemState;
  /** The run held at its budget (kind `run`). */
  readonly runId: string | null;
  readonly answerBy: string | null;
}

/** An update found the row at another version: someone else changed it first. Retry the whole transaction. */
export class StaleWorkItemError extends Error {
  constructor(
    readonly workItemId: string,
    readonly version: number,
  ) {
    super(`work item ${workItemId} changed since version ${version} was read`);
    this.name = 'StaleWorkItemError';
  }
}

export interface AuditEntry {
  readonly workItemId: string | null;
  readonly runId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly cause: string;
  readonly at: Date;
  readonly data?: Record<string, unknown>;
}

/** An item that holds or waits for capacity, with what scheduling needs to know. */
export interface SchedulingRow {
  readonly id: string;
  readonly repo: string;
  readonly ownerId: string | null;
  readonly priority: number;
  readonly stateEnteredAt: Date;
  readonly notBefore: Date | null;
  /** A fleet child's fleet and the fleet's cap. */
  readonly fleetId: string | null;
  readonly fleetCap: number | null;
}

/** A non-terminal item with its current run, as the watchdog inspects it. */
export interface WatchedRow {
  readonly id: string;
  readonly state: WorkItemState;
  readonly stateEnteredAt: Date;
  readonly redrivenAt: Date | null;
  readonly attempt: number;
  readonly runDeadlineAt: Date | null;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** Work items, their dependencies and their audit trail. Every method runs in the caller's transaction. */
@Injectable()
export class WorkItemRepository {
  async create(tx: Tx, item: NewWorkItem): Promise<WorkItemRow> {
    return tx.workItem.create({
      data: {
        id: item.id,
        kind: item.kind,
        state: 'received',
        repo: item.repo,
        title: item.title,
        description: item.description,
        priority: item.priority,
        labels: [...item.labels],
        autoStart: item.autoStart,
        ownerId: item.ownerId,
        sourceRefs: json(item.sourceRefs),
        parentId: item.parentId ?? null,
        stateEnteredAt: item.at,
      },
    });
  }

  // The hot paths (a read, a guarded update, an audit row per transition) are plain SQL: Prisma's
  // query compiler costs more CPU than the queries themselves, and the benchmark is CPU-bound.
  async get(tx: Tx, id: string): Promise<WorkItemRow | null> {
    const rows = await tx.$queryRaw<WorkItemRow[]>`SELECT * FROM "WorkItem" WHERE "id" = ${id}::uuid`;
    return rows[0] ?? null;
  }

  async getMany(tx: Tx, ids: readonly string[]): Promise<WorkItemRow[]> {
    if (ids.length === 0) return [];
    return tx.workItem.findMany({ where: { id: { in: [...ids] } } });
  }

  async findByTrackerIssue(tx: Tx, issueId: string): Promise<WorkItemRow | null> {
    return tx.workItem.findFirst({
      where: { sourceRefs: { path: ['trackerIssue', 'id'], equals: issueId } },
      orderBy: { createdAt: 'desc' },
    });
  }

  async findByAgentSession(tx: Tx, sessionId: string): Promise<WorkItemRow | null> {
    return tx.workItem.findFirst({
      where: { sourceRefs: { path: ['linearAgentSession', 'id'], equals: sessionId } },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** A routed pull request's item: by the id routing knew, else by the PR (findByPullRequest). */
  ofPullRequest(tx: Tx, pr: PullRequestTarget): Promise<WorkItemRow | null> {
    return pr.workItemId
      ? this.get(tx, pr.workItemId)
      : this.findByPullRequest(tx, pr.repository.fullName, pr.number, pr.branch);
  }

  /** The item of a pull request: by the PR recorded on it, else by its head branch (never its reviews). */
  async findByPullRequest(
    tx: Tx,
    repo: string,
    number: number,
    branch: string | null,
  ): Promise<WorkItemRow | null> {
    const rows = await tx.$queryRaw<WorkItemRow[]>`
      SELECT * FROM "WorkItem"
      WHERE "repo" = ${repo} AND "kind" <> 'review'
        AND (("sourceRefs"->'pullRequest'->>'number')::int = ${number} OR "branch" = ${branch})
      ORDER BY (("sourceRefs"->'pullRequest'->>'number')::int = ${number}) DESC NULLS LAST, "createdAt" DESC
      LIMIT 1`;
    return rows[0] ?? null;
  }

  /** The item of a Slack thread that is still in flight. */
  async findActiveByThread(
    tx: Tx,
    thread: { teamId: string; channel: string; threadTs: string },
    terminal: readonly WorkItemState[],
  ): Promise<WorkItemRow | null> {
    return tx.workItem.findFirst({
      where: {
        state: { notIn: [...terminal] },
        AND: [
          { sourceRefs: { path: ['slackThread', 'teamId'], equals: thread.teamId } },
          { sourceRefs: { path: ['slackThread', 'channel'], equals: thread.channel } },
          { sourceRefs: { path: ['slackThread', 'threadTs'], equals: thread.threadTs } },
        ],
      },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Writes `changes` if the row is still at `item.version`, bumping it. @throws StaleWorkItemError */
  async update(tx: Tx, item: WorkItemRow, changes: WorkItemChanges): Promise<WorkItemRow> {
    const set: Prisma.Sql[] = [Prisma.sql`"version" = "version" + 1`, Prisma.sql`"updatedAt" = now()`];
    if (changes.state !== undefined) set.push(Prisma.sql`"state" = ${changes.state}::"WorkItemState"`);
    if (changes.stateEnteredAt !== undefined)
      set.push(Prisma.sql`"stateEnteredAt" = ${changes.stateEnteredAt}`);
    if (changes.branch !== undefined) set.push(Prisma.sql`"branch" = ${changes.branch}`);
    if (changes.sourceRefs !== undefined)
      set.push(Prisma.sql`"sourceRefs" = ${JSON.stringify(changes.sourceRefs)}::jsonb`);
    if (changes.notBefore !== undefined) set.push(Prisma.sql`"notBefore" = ${changes.notBefore}`);
    if (changes.redrivenAt !== undefined) set.push(Prisma.sql`"redrivenAt" = ${changes.redrivenAt}`);
    if (changes.waitingFor !== undefined)
      set.push(
        Prisma.sql`"waitingFor" = ${changes.waitingFor === null ? null : JSON.stringify(changes.waitingFor)}::jsonb`,
      );
    if (changes.budgetExtra !== undefined)
      set.push(
        Prisma.sql`"budgetExtra" = ${changes.budgetExtra === null ? null : JSON.stringify(changes.budgetExtra)}::jsonb`,
      );
    const count = await tx.$executeRaw`
      UPDATE "WorkItem" SET ${Prisma.join(set, ', ')} WHERE "id" = ${item.id}::uuid AND "version" = ${item.version}`;
    if (count === 0) throw new StaleWorkItemError(item.id, item.version);
    const written = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    return {
      ...item,
      ...written,
      sourceRefs: (changes.sourceRefs ?? item.sourceRefs) as Prisma.JsonValue,
      version: item.version + 1,
    };
  }

  async addDependencies(tx: Tx, edges: readonly DependencyEdge[]): Promise<void> {
    if (edges.length === 0) return;
    await tx.workItemDependency.createMany({ data: [...edges], skipDuplicates: true });
  }

  /** The edges leaving `ids` and everything downstream of them (the items they transitively block). */
  async downstreamEdges(tx: Tx, ids: readonly string[]): Promise<DependencyEdge[]> {
    if (ids.length === 0) return [];
    return tx.$queryRaw<DependencyEdge[]>`
      WITH RECURSIVE down AS (
        SELECT "blockerId", "blockedId" FROM "WorkItemDependency" WHERE "blockerId" = ANY(${[...ids]}::uuid[])
        UNION
        SELECT d."blockerId", d."blockedId" FROM "WorkItemDependency" d JOIN down ON d."blockerId" = down."blockedId"
      )
      SELECT "blockerId"::text AS "blockerId", "blockedId"::text AS "blockedId" FROM down`;
  }

  async edgesInto(tx: Tx, blockedIds: readonly string[]): Promise<DependencyEdge[]> {
    if (blockedIds.length === 0) return [];
    return tx.workItemDependency.findMany({
      where: { blockedId: { in: [...blockedIds] } },
      select: { blockerId: true, blockedId: true },
    });
  }

  async edgesOutOf(tx: Tx, blockerId: string): Promise<DependencyEdge[]> {
    return tx.workItemDependency.findMany({
      where: { blockerId },
      select: { blockerId: true, blockedId: true },
    });
  }

  async statesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, WorkItemState>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.workItem.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, state: true },
    });
    return new Map(rows.map((r) => [r.id, r.state]));
  }

  /**
   * Scheduling facts of items in `states`, most urgent and oldest first; a fleet's children, queued
   * in one transaction, in the order the fleet gave them (plain SQL: read on every pass).
   */
  async inStates(tx: Tx, states: readonly WorkItemState[], limit: number): Promise<SchedulingRow[]> {
    return tx.$queryRaw<SchedulingRow[]>`
      SELECT w."id"::text AS "id", w."repo", w."ownerId"::text AS "ownerId", w."priority", w."stateEnteredAt",
             w."notBefore", w."sourceRefs"->'fleet'->>'id' AS "fleetId", (w."sourceRefs"->'fleet'->>'cap')::int AS "fleetCap"
      FROM "WorkItem" w LEFT JOIN "FleetChild" c ON c."workItemId" = w."id"
      WHERE w."state"::text = ANY(${[...states]}::text[])
      ORDER BY w."priority", w."stateEnteredAt", c."position", w."createdAt", w."id" LIMIT ${limit}`;
  }

  /** Items in `states` with their latest run's attempt and deadline. */
  async watched(tx: Tx, states: readonly WorkItemState[], limit: number): Promise<WatchedRow[]> {
    return tx.$queryRaw<WatchedRow[]>`
      SELECT w."id"::text AS "id", w."state"::text AS "state", w."stateEnteredAt", w."redrivenAt",
             COALESCE(r."attempt", 0) AS "attempt", r."deadlineAt" AS "runDeadlineAt"
      FROM "WorkItem" w
      LEFT JOIN LATERAL (
        SELECT "attempt", "deadlineAt" FROM "Run" WHERE "workItemId" = w."id" ORDER BY "attempt" DESC LIMIT 1
      ) r ON true
      WHERE w."state"::text = ANY(${[...states]}::text[])
      ORDER BY w."stateEnteredAt"
      LIMIT ${limit}`;
  }

  async recordTransition(tx: Tx, audit: WorkItemAuditRecord): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "AuditEvent" ("id", "workItemId", "runId", "actor", "action", "fromState", "toState", "cause", "createdAt")
      VALUES (${crypto.randomUUID()}::uuid, ${audit.workItemId}::uuid, ${audit.runId}::uuid, ${audit.actor}, 'transition',
              ${audit.from}, ${audit.to}, ${audit.cause}, ${audit.at})`;
  }

  /** How many audit entries of `action` the item has (e.g. `self_revision`, which is bounded). */
  async countAudit(tx: Tx, workItemId: string, action: string): Promise<number> {
    return tx.auditEvent.count({ where: { workItemId, action } });
  }

  /** Whether the item has an audit event of `action` whose data's `key` is `value`. */
  async hasAuditWith(
    tx: Tx,
    workItemId: string,
    action: string,
    key: string,
    value: string,
  ): Promise<boolean> {
    return (
      (await tx.auditEvent.count({ where: { workItemId, action, data: { path: [key], equals: value } } })) > 0
    );
  }

  async recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "AuditEvent" ("id", "workItemId", "runId", "actor", "action", "cause", "data", "createdAt")
      VALUES (${crypto.randomUUID()}::uuid, ${entry.workItemId}::uuid, ${entry.runId}::uuid, ${entry.actor}, ${entry.action},
              ${entry.cause}, ${JSON.stringify(entry.data ?? {})}::jsonb, ${entry.at})`;
  }
}
