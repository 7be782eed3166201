import { Injectable } from '@nestjs/common';
import type { RunOutcome, SandboxFlavour } from '@horizon/contracts';
import { Prisma } from '@horizon/db';
import type { Run, Tx } from '@horizon/db';

export type RunRow = Run;

export interface NewRun {
  readonly id: string;
  readonly workItemId: string;
  readonly attempt: number;
  readonly flavour: SandboxFlavour;
  readonly harness: string;
  readonly model: string;
  readonly branch: string;
  readonly sandboxId: string;
  readonly queuedAt: Date;
  readonly deadlineAt: Date;
}

export interface NewArtifact {
  readonly id: string;
  readonly runId: string;
  readonly kind: string;
  readonly uri: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly metadata: Record<string, unknown>;
}

export interface RunEnding {
  readonly outcome: RunOutcome;
  readonly at: Date;
  readonly failureReason: string | null;
  readonly usage?: { inputTokens: number; outputTokens: number; costUsd: number } | null;
  readonly commitSha?: string | null;
  readonly toolCalls?: number;
  readonly report?: Record<string, unknown>;
}

/** Runs: one row per attempt of a work item. Every method runs in the caller's transaction. */
@Injectable()
export class RunRepository {
  async create(tx: Tx, run: NewRun): Promise<RunRow> {
    return tx.run.create({ data: { ...run } });
  }

  // Reads and the start mark are plain SQL on the hot path (see WorkItemRepository).
  async get(tx: Tx, id: string): Promise<RunRow | null> {
    const rows = await tx.$queryRaw<RunRow[]>`SELECT * FROM "Run" WHERE "id" = ${id}::uuid`;
    return rows[0] ?? null;
  }

  async latestOf(tx: Tx, workItemId: string): Promise<RunRow | null> {
    const rows = await tx.$queryRaw<RunRow[]>`
      SELECT * FROM "Run" WHERE "workItemId" = ${workItemId}::uuid ORDER BY "attempt" DESC LIMIT 1`;
    return rows[0] ?? null;
  }

  /** The newest commit the item's runs pushed: the head of its pull request as Horizon knows it. */
  async latestCommitOf(tx: Tx, workItemId: string): Promise<string | null> {
    const run = await tx.run.findFirst({
      where: { workItemId, commitSha: { not: null } },
      orderBy: { attempt: 'desc' },
      select: { commitSha: true },
    });
    return run?.commitSha ?? null;
  }

  async nextAttempt(tx: Tx, workItemId: string): Promise<number> {
    const [row] = await tx.$queryRaw<{ next: number }[]>`
      SELECT (COALESCE(MAX("attempt"), 0) + 1)::int AS "next" FROM "Run" WHERE "workItemId" = ${workItemId}::uuid`;
    return row!.next;
  }

  /** Moves a run in flight's deadline later (by the time it was held at its budget). */
  async extendDeadline(tx: Tx, runId: string, byMs: number): Promise<void> {
    await tx.$executeRaw`UPDATE "Run" SET "deadlineAt" = "deadlineAt" + make_interval(secs => ${byMs / 1000}::double precision)
      WHERE "id" = ${runId}::uuid AND "outcome" IS NULL`;
  }

  /** Marks the moment the harness started; a no-op when already marked. */
  async markStarted(tx: Tx, runId: string, at: Date): Promise<void> {
    await tx.$executeRaw`UPDATE "Run" SET "startedAt" = ${at} WHERE "id" = ${runId}::uuid AND "startedAt" IS NULL`;
  }

  /**
   * Records how a run ended, once: returns false when it had an outcome already (a late report
   * after a cancellation or a time-out), which then changes nothing.
   */
  async finish(tx: Tx, runId: string, ending: RunEnding): Promise<boolean> {
    const { count } = await tx.run.updateMany({
      where: { id: runId, outcome: null },
      data: {
        outcome: ending.outcome,
        finishedAt: ending.at,
        failureReason: ending.failureReason,
        ...(ending.usage
          ? {
              inputTokens: ending.usage.inputTokens,
              outputTokens: ending.usage.outputTokens,
              costUsd: ending.usage.costUsd,
            }
          : {}),
        ...(ending.commitSha !== undefined ? { commitSha: ending.commitSha } : {}),
        ...(ending.toolCalls !== undefined ? { toolCalls: ending.toolCalls } : {}),
        ...(ending.report ? { report: ending.report as Prisma.InputJsonValue } : {}),
      },
    });
    return count === 1;
  }

  /** Keeps a file a run left; the same artifact id again changes nothing. */
  async recordArtifact(tx: Tx, artifact: NewArtifact): Promise<void> {
    await tx.artifact.createMany({
      data: [{ ...artifact, metadata: artifact.metadata as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
  }
}
