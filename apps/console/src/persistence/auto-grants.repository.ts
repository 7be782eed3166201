import { randomUUID } from 'node:crypto';
import type { ConsoleRole } from '@horizon/contracts';
import { Prisma, type ConsoleAutoGrant, type PrismaClient } from '@horizon/db';

/** Admins' rules for first sign-ins by email domain. */
export class AutoGrantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(): Promise<ConsoleAutoGrant[]> {
    return this.prisma.consoleAutoGrant.findMany({ orderBy: [{ domain: 'asc' }, { repo: 'asc' }] });
  }

  /** The new rule, or null when one for this domain and repository exists already. */
  async add(rule: {
    domain: string;
    repo: string;
    role: ConsoleRole;
    createdBy: string;
  }): Promise<ConsoleAutoGrant | null> {
    try {
      return await this.prisma.consoleAutoGrant.create({ data: { id: randomUUID(), ...rule } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return null;
      throw err;
    }
  }

  async remove(id: string): Promise<ConsoleAutoGrant | null> {
    const rule = await this.prisma.consoleAutoGrant.findUnique({ where: { id } });
    if (rule) await this.prisma.consoleAutoGrant.delete({ where: { id } });
    return rule;
  }

  forDomain(domain: string): Promise<ConsoleAutoGrant[]> {
    return this.prisma.consoleAutoGrant.findMany({ where: { domain } });
  }
}
