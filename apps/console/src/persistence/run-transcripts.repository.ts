import type { Prisma, PrismaClient } from '@horizon/db';
import type { TranscriptEntry } from '../shared/console-api';

export interface RunMark {
  runId: string;
  workItemId: string;
  startedAt?: Date;
  finishedAt?: Date;
}

/**
 * The console's read model of runs, written from `hzn.evt.run.*`. Every write is keyed by what
 * the publisher numbered (run id, transcript seq), so a redelivered event changes nothing.
 */
export class RunTranscriptsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async markRun({ runId, workItemId, startedAt, finishedAt }: RunMark): Promise<void> {
    await this.prisma.consoleRun.upsert({
      where: { runId },
      create: { runId, workItemId, startedAt: startedAt ?? null, finishedAt: finishedAt ?? null },
      update: { ...(startedAt ? { startedAt } : {}), ...(finishedAt ? { finishedAt } : {}) },
    });
  }

  async addEntry(workItemId: string, entry: TranscriptEntry & { runId: string }): Promise<void> {
    const { runId, seq, phase, kind, summary, detail, at } = entry;
    await this.prisma.consoleRunEntry.createMany({
      data: [
        {
          runId,
          seq,
          workItemId,
          phase,
          kind,
          summary,
          detail: detail as Prisma.InputJsonValue,
          at: new Date(at),
        },
      ],
      skipDuplicates: true,
    });
  }

  /** The work item a run belongs to, from whichever of its events arrived first; null when none has. */
  async workItemOf(runId: string): Promise<string | null> {
    const run = await this.prisma.consoleRun.findUnique({ where: { runId }, select: { workItemId: true } });
    if (run) return run.workItemId;
    const entry = await this.prisma.consoleRunEntry.findFirst({
      where: { runId },
      select: { workItemId: true },
    });
    return entry?.workItemId ?? null;
  }

  async transcript(runId: string): Promise<TranscriptEntry[]> {
    const rows = await this.prisma.consoleRunEntry.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
    return rows.map((r) => ({
      seq: r.seq,
      phase: r.phase as TranscriptEntry['phase'],
      kind: r.kind,
      summary: r.summary,
      detail: (r.detail ?? {}) as Record<string, unknown>,
      at: r.at.toISOString(),
    }));
  }
}
