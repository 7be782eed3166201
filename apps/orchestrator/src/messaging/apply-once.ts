import { BlockersNotYetRecordedError } from '../application/work-item.service';
import type { Envelope } from '@horizon/contracts';
import { HandlerOutcome, Outcome } from '@horizon/messaging';
import { Transactor, UnitOfWork } from '../application/unit-of-work';
import { IllegalTransitionError } from '../domain';

/**
 * A handler's one transaction: inbox claim on `keys` (the envelope id first), the work, the
 * outbox. A redelivery is acked without effect. A move the lifecycle forbids will not become
 * legal on retry: it is dead-lettered with the reason; anything else is retried with back-off.
 */
export async function applyOnce(
  transactor: Transactor,
  consumer: string,
  env: Envelope,
  work: (uow: UnitOfWork) => Promise<unknown>,
  extraKeys: readonly string[] = [],
  deliveryCount = 1,
): Promise<HandlerOutcome> {
  try {
    await transactor.run({ consumer, keys: [env.id, ...extraKeys], deliveryCount }, env, work);
    return Outcome.ack();
  } catch (err) {
    if (err instanceof IllegalTransitionError) return Outcome.reject(err.message);
    if (err instanceof BlockersNotYetRecordedError) return Outcome.retry(err.message, 1000);
    throw err;
  }
}
