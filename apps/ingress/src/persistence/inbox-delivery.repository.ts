import type { InboxDelivery, PrismaClient } from '@horizon/db';

/** Reads of the InboxDelivery record (its writes are batched by `inbox/delivery-log.ts`). */
export class InboxDeliveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  find(source: string, deliveryId: string): Promise<InboxDelivery | null> {
    return this.prisma.inboxDelivery.findUnique({ where: { source_deliveryId: { source, deliveryId } } });
  }
}
