import { randomUUID } from 'node:crypto';
import type { ConsoleRole } from '@horizon/contracts';
import type { ConsolePerson, ConsoleSession, PrismaClient } from '@horizon/db';
import type { Grant } from '../domain/access';

export type SessionWithPerson = ConsoleSession & { person: ConsolePerson & { grants: Grant[] } };

/** People, their grants, their one-time sign-in links and their browser sessions. */
export class PeopleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The person named `name`, created on first use, holding at least `role` in `repo`. */
  async grant(name: string, repo: string, role: ConsoleRole): Promise<ConsolePerson> {
    const person = await this.prisma.consolePerson.upsert({
      where: { name },
      create: { id: randomUUID(), name },
      update: {},
    });
    await this.prisma.consoleGrant.upsert({
      where: { personId_repo: { personId: person.id, repo } },
      create: { personId: person.id, repo, role },
      update: { role },
    });
    return person;
  }

  /** The person whose console account is this linked identity, with their grants. */
  byIdentity(identityId: string): Promise<(ConsolePerson & { grants: Grant[] }) | null> {
    return this.prisma.consolePerson.findUnique({
      where: { identityId },
      include: { grants: { select: { repo: true, role: true } } },
    });
  }

  /** The linked identity a person signs in as, or null (someone invited by a one-time link). */
  async identityOf(personId: string): Promise<string | null> {
    const person = await this.prisma.consolePerson.findUnique({
      where: { id: personId },
      select: { identityId: true },
    });
    return person?.identityId ?? null;
  }

  /**
   * The person for an identity seen for the first time, holding no grants. Named after the
   * account, but never taking over a name someone already has (which would hand them that
   * person's grants): a clash gets the identity's first characters appended.
   */
  async createForIdentity(identityId: string, name: string): Promise<ConsolePerson> {
    const taken = await this.prisma.consolePerson.findUnique({ where: { name } });
    return this.prisma.consolePerson.create({
      data: { id: randomUUID(), identityId, name: taken ? `${name} (${identityId.slice(0, 8)})` : name },
    });
  }

  async addLink(personId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.consoleSignInLink.create({ data: { tokenHash, personId, expiresAt } });
  }

  /**
   * Spends a link: the person it signs in, or null when there is no such link, it was used,
   * or it expired. One conditional update, so two redemptions race to exactly one winner.
   */
  async spendLink(tokenHash: string, now: Date): Promise<ConsolePerson | null> {
    const { count } = await this.prisma.consoleSignInLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    const link = await this.prisma.consoleSignInLink.findUnique({
      where: { tokenHash },
      include: { person: true },
    });
    return link?.person ?? null;
  }

  /** Why a link did not sign anyone in: for the error page. */
  async linkState(tokenHash: string): Promise<'unknown' | 'used' | 'expired'> {
    const link = await this.prisma.consoleSignInLink.findUnique({ where: { tokenHash } });
    if (!link) return 'unknown';
    return link.usedAt ? 'used' : 'expired';
  }

  async openSession(
    row: Pick<ConsoleSession, 'tokenHash' | 'personId' | 'csrfToken' | 'expiresAt'>,
  ): Promise<void> {
    await this.prisma.consoleSession.create({ data: row });
  }

  /** A live session with its person and grants, or null when unknown, revoked or expired. */
  async session(tokenHash: string, now: Date): Promise<SessionWithPerson | null> {
    const session = await this.prisma.consoleSession.findUnique({
      where: { tokenHash },
      include: { person: { include: { grants: { select: { repo: true, role: true } } } } },
    });
    if (!session || session.revokedAt || session.expiresAt <= now) return null;
    return session;
  }

  /** Everyone, with their grants and when they last signed in (null: never). */
  async everyone(): Promise<
    (ConsolePerson & { grants: Grant[]; lastSignInAt: Date | null; activeSessions: number })[]
  > {
    const people = await this.prisma.consolePerson.findMany({
      orderBy: { name: 'asc' },
      include: {
        grants: { select: { repo: true, role: true }, orderBy: { repo: 'asc' } },
        sessions: { select: { createdAt: true, expiresAt: true, revokedAt: true } },
      },
    });
    const now = new Date();
    return people.map(({ sessions, ...person }) => ({
      ...person,
      lastSignInAt: sessions.reduce<Date | null>(
        (last, s) => (!last || s.createdAt > last ? s.createdAt : last),
        null,
      ),
      activeSessions: sessions.filter((s) => !s.revokedAt && s.expiresAt > now).length,
    }));
  }

  person(id: string): Promise<(ConsolePerson & { grants: Grant[] }) | null> {
    return this.prisma.consolePerson.findUnique({
      where: { id },
      include: { grants: { select: { repo: true, role: true } } },
    });
  }

  /** Sets (role) or removes (null) one grant. */
  async setGrant(personId: string, repo: string, role: ConsoleRole | null): Promise<void> {
    if (role === null) await this.prisma.consoleGrant.deleteMany({ where: { personId, repo } });
    else
      await this.prisma.consoleGrant.upsert({
        where: { personId_repo: { personId, repo } },
        create: { personId, repo, role },
        update: { role },
      });
  }

  /** How many people hold admin for every repository: the console must keep at least one. */
  countEverywhereAdmins(): Promise<number> {
    return this.prisma.consoleGrant.count({ where: { repo: '*', role: 'admin' } });
  }

  /** Signs a person out everywhere; how many sessions that ended. */
  async revokeSessionsOf(personId: string, now: Date): Promise<number> {
    const { count } = await this.prisma.consoleSession.updateMany({
      where: { personId, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    return count;
  }

  async revokeSession(tokenHash: string, now: Date): Promise<void> {
    await this.prisma.consoleSession.updateMany({
      where: { tokenHash, revokedAt: null },
      data: { revokedAt: now },
    });
  }
}
