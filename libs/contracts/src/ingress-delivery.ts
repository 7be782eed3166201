import { z } from 'zod';
import { isoDate } from './domain';

/** Facts about the delivery itself, common to every normalized ingress message. */
export const deliverySchema = z.object({
  source: z.enum(['github', 'linear', 'slack', 'api', 'local', 'trigger', 'schedule']),
  deliveryId: z.string().min(1),
  event: z.string().min(1),
  action: z.string().nullable(),
  receivedAt: isoDate,
});
export type DeliveryOf = z.infer<typeof deliverySchema>;
