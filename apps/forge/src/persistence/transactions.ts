import { Inject, Injectable } from '@nestjs/common';
import type { Envelope } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';
import { EventOutbox } from './event-outbox';

export type { Tx };

/**
 * One transaction of the forge: the repositories' writes and, last, the events they announce
 * in the outbox, so the events exist if and only if the change does.
 */
@Injectable()
export class ForgeTransactions {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: EventOutbox,
  ) {}

  run<T>(work: (tx: Tx) => Promise<{ value: T; events: { envelope: Envelope }[] }>): Promise<T> {
    return this.db.prisma.$transaction(async (tx) => {
      const { value, events } = await work(tx);
      await this.outbox.append(
        tx,
        events.map((e) => e.envelope),
      );
      return value;
    });
  }
}
