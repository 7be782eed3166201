import { randomUUID } from 'node:crypto';
import type { ConsoleAudit, Prisma, PrismaClient } from '@horizon/db';

export interface AuditEntry {
  personId: string | null;
  actor: string;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
}

/** The console's audit trail: every action taken through it, with its actor. */
export class AuditRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.prisma.consoleAudit.create({
      data: {
        id: randomUUID(),
        personId: entry.personId,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: (entry.detail ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  latest(limit: number): Promise<ConsoleAudit[]> {
    return this.prisma.consoleAudit.findMany({ orderBy: [{ at: 'desc' }], take: limit });
  }
}
