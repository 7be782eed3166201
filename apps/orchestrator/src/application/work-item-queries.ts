import { Injectable } from '@nestjs/common';
import { frictionKindSchema } from '@horizon/contracts';
import type {
  AuditView,
  DataOf,
  LatestRun,
  ReplyOf,
  RunView,
  WorkItemSummary,
  WorkItemView,
  orchestratorGetWorkItem,
  orchestratorListRepositories,
  orchestratorListWorkItems,
  orchestratorWorkGraph,
} from '@horizon/contracts';
import type { AuditEvent, Run, RunFriction, WorkItem } from '@horizon/db';
import {
  WorkItemQueryRepository,
  type WorkItemWithLatestRun,
} from '../persistence/work-item-queries.repository';
import type { WaitingFor } from '../persistence/work-item.repository';

/** The most nodes a graph answers: a drawn graph beyond this is unreadable anyway. */
export const GRAPH_LIMIT = 500;

/** A cursor this service did not issue; the caller's request is wrong, not the service. */
export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
}

/** Newest first; the cursor is the (createdAt, id) of the last item served, opaque to callers. */
export function encodeCursor(item: Pick<WorkItem, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([item.createdAt.toISOString(), item.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (!Number.isNaN(date.getTime()) && typeof id === 'string') return { createdAt: date, id };
  } catch {
    // not base64url JSON: refused below
  }
  throw new InvalidCursorError('cursor is not one this API issued');
}

/** What other services may ask about work items (ingress's work API, the CLI): read-only use cases. */
@Injectable()
export class WorkItemQueries {
  constructor(private readonly items: WorkItemQueryRepository) {}

  async list(
    query: DataOf<typeof orchestratorListWorkItems>,
  ): Promise<ReplyOf<typeof orchestratorListWorkItems>> {
    const { cursor, limit, ...filter } = query;
    const rows = await this.items.list(
      { ...filter, ...(cursor ? { after: decodeCursor(cursor) } : {}) },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(workItemSummary),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  async repositories(): Promise<ReplyOf<typeof orchestratorListRepositories>> {
    const rows = await this.items.repositories();
    return { repositories: rows.map((r) => ({ ...r, latestAt: r.latestAt.toISOString() })) };
  }

  async graph(scope: DataOf<typeof orchestratorWorkGraph>): Promise<ReplyOf<typeof orchestratorWorkGraph>> {
    const { items, edges } = await this.items.graph(scope, GRAPH_LIMIT + 1);
    const nodes = items.slice(0, GRAPH_LIMIT);
    const shown = new Set(nodes.map((n) => n.id));
    return {
      nodes: nodes.map(workItemSummary),
      edges: edges
        .filter((e) => shown.has(e.blockerId) && shown.has(e.blockedId))
        .map((e) => ({ from: e.blockerId, to: e.blockedId })),
      truncated: items.length > GRAPH_LIMIT,
    };
  }

  async get({
    workItemId,
  }: DataOf<typeof orchestratorGetWorkItem>): Promise<ReplyOf<typeof orchestratorGetWorkItem>> {
    const found = await this.items.get(workItemId);
    if (!found) return { workItem: null };
    return {
      workItem: {
        ...workItemView(found.item),
        runs: found.runs.map((run) => runView(run, run.friction)),
        blockedBy: found.blockedBy,
        blocks: found.blocks,
        timeline: found.audit.map(auditView),
      },
    };
  }
}

function workItemView(row: WorkItem): WorkItemView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    repo: row.repo,
    title: row.title,
    description: row.description,
    branch: row.branch,
    priority: row.priority,
    labels: row.labels,
    autoStart: row.autoStart,
    ownerId: row.ownerId,
    parentId: row.parentId,
    sourceRefs: (row.sourceRefs ?? {}) as Record<string, unknown>,
    stateEnteredAt: row.stateEnteredAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    waiting: waitingView(row),
  };
}

function waitingView(row: WorkItem): WorkItemView['waiting'] {
  const waiting = row.state === 'waiting' ? (row.waitingFor as WaitingFor | null) : null;
  return waiting ? { kind: waiting.kind, reason: waiting.reason, answerBy: waiting.answerBy } : null;
}

function workItemSummary(row: WorkItemWithLatestRun): WorkItemSummary {
  const { runs, ...item } = row;
  return { ...workItemView(item), latestRun: runs[0] ? latestRun(runs[0]) : null };
}

function latestRun(run: Run): LatestRun {
  const checks = runView(run).verification;
  const verification =
    checks.length === 0 ? 'none' : checks.every((c) => c.exitCode === 0) ? 'passed' : 'failed';
  return { id: run.id, outcome: run.outcome, verification };
}

function runView(run: Run, friction: RunFriction[] = []): RunView {
  const report = (run.report ?? {}) as {
    verification?: RunView['verification'];
    browser?: RunView['browser'];
  };
  return {
    id: run.id,
    attempt: run.attempt,
    flavour: run.flavour,
    harness: run.harness,
    branch: run.branch,
    outcome: run.outcome,
    failureReason: run.failureReason,
    commitSha: run.commitSha,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    costUsd: Number(run.costUsd),
    toolCalls: run.toolCalls,
    verification: (report.verification ?? []).map((v) => ({
      command: v.command,
      exitCode: v.exitCode,
      durationMs: v.durationMs,
    })),
    friction: friction
      .map((f) => ({
        kind: frictionKindSchema.parse(f.kind),
        signature: f.signature,
        summary: f.summary,
        count: f.count,
        evidence: f.evidence,
      }))
      .sort((a, b) => (a.evidence[0] ?? -1) - (b.evidence[0] ?? -1)),
    browser: report.browser ?? [],
  };
}

function auditView(event: AuditEvent): AuditView {
  return {
    runId: event.runId,
    actor: event.actor,
    action: event.action,
    fromState: event.fromState,
    toState: event.toState,
    cause: event.cause,
    at: event.createdAt.toISOString(),
  };
}
