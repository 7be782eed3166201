import type { Envelope, SandboxResources } from '@horizon/contracts';
import { appendToOutbox, claimMessage, type Database, type Sandbox, type Tx } from '@horizon/db';
import type { SandboxRecord, SandboxRepository, SandboxTransaction, Transacted } from '../application/ports';
import type { SandboxState } from '../domain/sandbox-state';
import { liveStates } from '../domain/sandbox-state';

/** The inbox consumer name sandbox-manager claims messages under. */
export const INBOX_CONSUMER = 'sandbox-manager';

function toRecord(row: Sandbox): SandboxRecord {
  return {
    id: row.id,
    runId: row.runId,
    driver: row.driver,
    flavour: row.flavour,
    state: row.state as SandboxState,
    resources: row.resources as unknown as SandboxResources,
    snapshotRef: row.snapshotRef,
    host: row.host,
    destroyedAt: row.destroyedAt,
  };
}

/** Sandbox rows through Prisma; a transaction claims, writes, and appends its events to the outbox. */
export class PrismaSandboxRepository implements SandboxRepository {
  constructor(private readonly db: Pick<Database, 'prisma'>) {}

  async find(id: string): Promise<SandboxRecord | null> {
    const row = await this.db.prisma.sandbox.findUnique({ where: { id } });
    return row && toRecord(row);
  }

  async liveOn(host: string): Promise<SandboxRecord[]> {
    const rows = await this.db.prisma.sandbox.findMany({
      where: { host, state: { in: [...liveStates] } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toRecord);
  }

  async transaction<T>(
    claimedEnvelopeId: string | null,
    work: (tx: SandboxTransaction) => Promise<T>,
  ): Promise<Transacted<T>> {
    return this.db.prisma.$transaction(
      async (tx) => {
        if (claimedEnvelopeId && !(await claimMessage(tx, INBOX_CONSUMER, claimedEnvelopeId)))
          return { applied: false } as const;
        const envelopes: Envelope[] = [];
        const value = await work(new PrismaSandboxTransaction(tx, envelopes));
        await appendToOutbox(tx, envelopes);
        return { applied: true, value } as const;
      },
      // Destroying a sandbox happens inside the transaction that records it.
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
}

class PrismaSandboxTransaction implements SandboxTransaction {
  constructor(
    private readonly tx: Tx,
    private readonly envelopes: Envelope[],
  ) {}

  async get(id: string): Promise<SandboxRecord | null> {
    // Locked until commit: a second replica's command for the same sandbox waits its turn.
    await this.tx.$executeRaw`SELECT 1 FROM "Sandbox" WHERE "id" = ${id}::uuid FOR UPDATE`;
    const row = await this.tx.sandbox.findUnique({ where: { id } });
    return row && toRecord(row);
  }

  async insert(record: Omit<SandboxRecord, 'destroyedAt' | 'snapshotRef'>): Promise<void> {
    await this.tx.sandbox.create({ data: { ...record, resources: { ...record.resources } } });
  }

  async update(id: string, change: { state: SandboxState; snapshotRef?: string; destroyedAt?: Date }) {
    await this.tx.sandbox.update({ where: { id }, data: change });
  }

  publish(envelope: Envelope): void {
    this.envelopes.push(envelope);
  }
}
