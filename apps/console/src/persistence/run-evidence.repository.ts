import type { BrowserEvidenceKind, BrowserEvidenceMetadata } from '@horizon/contracts';
import type { PrismaClient } from '@horizon/db';

/** A run's browser evidence as the console keeps it: what it shows, and where the file is. */
export interface RunEvidence extends Omit<BrowserEvidenceMetadata, 'changedRatio'> {
  artifactId: string;
  runId: string;
  kind: BrowserEvidenceKind;
  /** The object's name in the artifact store. */
  name: string;
  contentType: string;
  sizeBytes: number;
  changedRatio: number | null;
  /** The event's stream sequence: evidence is listed in the order it was published. */
  streamSeq: number;
}

/**
 * Browser evidence of runs (`ConsoleRunEvidence`), written from `hzn.evt.sandbox.artifact_recorded`.
 * Keyed by the publisher's artifact id, so a redelivered event changes nothing.
 */
export class RunEvidenceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(evidence: RunEvidence): Promise<void> {
    await this.prisma.consoleRunEvidence.createMany({
      data: [{ ...evidence, streamSeq: BigInt(evidence.streamSeq) }],
      skipDuplicates: true,
    });
  }

  async ofRun(runId: string): Promise<RunEvidence[]> {
    const rows = await this.prisma.consoleRunEvidence.findMany({
      where: { runId },
      orderBy: { streamSeq: 'asc' },
    });
    return rows.map(fromRow);
  }

  /** One artifact of the run; null when there is none by that id, or it is another run's. */
  async get(runId: string, artifactId: string): Promise<RunEvidence | null> {
    const row = await this.prisma.consoleRunEvidence.findFirst({ where: { artifactId, runId } });
    return row && fromRow(row);
  }
}

type Row = Awaited<ReturnType<PrismaClient['consoleRunEvidence']['findFirstOrThrow']>>;

function fromRow(row: Row): RunEvidence {
  return {
    ...row,
    kind: row.kind as BrowserEvidenceKind,
    target: row.target as RunEvidence['target'],
    streamSeq: Number(row.streamSeq),
  };
}
