import type { PrismaClient, SignInAttempt } from '@horizon/db';

export type RefusedAttempt = 'unknown' | 'used' | 'expired' | 'other_browser';

/** Console sign-ins in flight, keyed by the SHA-256 of their state. */
export class SignInAttemptRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(row: Omit<SignInAttempt, 'usedAt' | 'createdAt'>, now: Date): Promise<void> {
    // Attempts nobody came back from are of no use once expired: drop them as new ones start.
    await this.prisma.signInAttempt.deleteMany({ where: { expiresAt: { lt: now } } });
    await this.prisma.signInAttempt.create({ data: row });
  }

  /**
   * Spends an attempt, only from the browser it is bound to: the attempt, or why not. One
   * conditional update, so a replayed state (or two tabs racing) gets exactly one winner, and
   * a state presented from another browser does not spend the real one.
   */
  async spend(stateHash: string, bindingHash: string, now: Date): Promise<SignInAttempt | RefusedAttempt> {
    const { count } = await this.prisma.signInAttempt.updateMany({
      where: { stateHash, bindingHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    const attempt = await this.prisma.signInAttempt.findUnique({ where: { stateHash } });
    if (count === 1 && attempt) return attempt;
    if (!attempt) return 'unknown';
    if (attempt.bindingHash !== bindingHash) return 'other_browser';
    return attempt.usedAt ? 'used' : 'expired';
  }
}
