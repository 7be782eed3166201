import type { PrismaClient, WebhookTrigger } from '@horizon/db';
import { Prisma } from '@horizon/db';

export type { WebhookTrigger };

/** The WebhookTrigger table: trigger definitions, their secret sealed. */
export class WebhookTriggerRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Null when the name is taken. */
  async insert(
    row: Omit<WebhookTrigger, 'createdAt' | 'filter'> & { filter: unknown },
  ): Promise<WebhookTrigger | null> {
    try {
      return await this.prisma.webhookTrigger.create({
        data: { ...row, filter: row.filter === null ? Prisma.DbNull : (row.filter as Prisma.InputJsonValue) },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  findByName(name: string): Promise<WebhookTrigger | null> {
    return this.prisma.webhookTrigger.findUnique({ where: { name } });
  }

  list(): Promise<WebhookTrigger[]> {
    return this.prisma.webhookTrigger.findMany({ orderBy: { name: 'asc' } });
  }

  /** Up to `take` triggers sealed under another key than `keyId`, by id after `after`. */
  sealedNotUnder(keyId: string, take: number, after?: string): Promise<WebhookTrigger[]> {
    return this.prisma.webhookTrigger.findMany({
      where: { secretKeyId: { not: keyId }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take,
    });
  }

  countSealedNotUnder(keyId: string): Promise<number> {
    return this.prisma.webhookTrigger.count({ where: { secretKeyId: { not: keyId } } });
  }

  /** Replaces the sealed secret if it is still the one sealed under `fromKeyId`; true when it was. */
  async reseal(
    id: string,
    fromKeyId: string,
    sealed: Pick<WebhookTrigger, 'secretKeyId' | 'secretCiphertext' | 'secretIv' | 'secretAuthTag'>,
  ): Promise<boolean> {
    const { count } = await this.prisma.webhookTrigger.updateMany({
      where: { id, secretKeyId: fromKeyId },
      data: sealed,
    });
    return count === 1;
  }

  /** True when a trigger of that name was deleted. */
  async delete(name: string): Promise<boolean> {
    const { count } = await this.prisma.webhookTrigger.deleteMany({ where: { name } });
    return count === 1;
  }
}
