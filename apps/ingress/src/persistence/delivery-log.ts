import type pg from 'pg';
import type { Logger } from '@horizon/observability';
import { replaceNulCharacters } from '@horizon/contracts';
import type { DeliveryLog, DeliveryRecord } from '../application/accept';

export interface DeliveryLogOptions {
  /** How long a record may wait for companions before a write (ms). */
  lingerMs?: number;
  /** Rows per INSERT. */
  batchSize?: number;
  /** Records kept while Postgres is unreachable; beyond it the oldest are dropped (and counted). */
  maxPending?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onDropped?: (count: number) => void;
}

/** Outcomes that say "this delivery is on the stream": such a row is never overwritten. */
const ON_STREAM = new Set(['accepted', 'duplicate']);
const COLUMNS = 8;

/**
 * InboxDelivery rows written in batches, after the answer has been sent: the hot path only
 * appends to memory. A Postgres hiccup delays the rows (retried with back-off) and never the
 * delivery, whose durable copy is the JetStream message.
 */
export class BatchedDeliveryLog implements DeliveryLog {
  private pending = new Map<string, DeliveryRecord>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly options: Required<Omit<DeliveryLogOptions, 'onDropped'>> &
    Pick<DeliveryLogOptions, 'onDropped'>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    options: DeliveryLogOptions = {},
  ) {
    this.options = {
      lingerMs: 20,
      batchSize: 500,
      maxPending: 100_000,
      retryBaseMs: 200,
      retryMaxMs: 10_000,
      ...options,
    };
  }

  record(record: DeliveryRecord): void {
    const key = `${record.source}\u0000${record.deliveryId}`;
    const previous = this.pending.get(key);
    // Within a batch one row per key: the first on-stream outcome wins, as it does in the table.
    if (!previous || !ON_STREAM.has(previous.outcome)) {
      this.pending.delete(key);
      this.pending.set(key, record);
    }
    this.dropOverflow();
    this.schedule(this.pending.size >= this.options.batchSize ? 0 : this.options.lingerMs);
  }

  /** Number of records not yet in Postgres. */
  get backlog(): number {
    return this.pending.size;
  }

  /** Writes everything pending (for shutdown and tests); gives up after `timeoutMs`. */
  async drain(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.pending.size > 0 || this.flushing) && Date.now() < deadline) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await (this.flushing ?? this.flush());
      if (this.pending.size > 0 && this.failures > 0)
        await new Promise((r) => setTimeout(r, Math.min(200, deadline - Date.now())));
    }
    if (this.pending.size > 0)
      this.logger.error({ lost: this.pending.size }, 'InboxDelivery records not written before shutdown');
  }

  /** Drains, then stops retrying: what is still pending is logged as lost, and no timer is left behind. */
  async close(timeoutMs?: number): Promise<void> {
    await this.drain(timeoutMs);
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.flushing || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private flush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    const batch = [...this.pending.entries()].slice(0, this.options.batchSize);
    for (const [key] of batch) this.pending.delete(key);
    this.flushing = this.write(batch.map(([, r]) => r))
      .then(() => {
        this.failures = 0;
      })
      .catch((error: Error) => {
        this.failures += 1;
        // Put the batch back, behind nothing newer for the same key.
        for (const [key, record] of batch) if (!this.pending.has(key)) this.pending.set(key, record);
        this.dropOverflow();
        this.logger.warn(
          { err: error, backlog: this.pending.size, failures: this.failures },
          'InboxDelivery write failed; will retry',
        );
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.size > 0) {
          const backoff =
            this.failures === 0
              ? 0
              : Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
          this.schedule(backoff);
        }
      });
    return this.flushing;
  }

  /**
   * Writes a batch. A batch Postgres refuses for its data (SQLSTATE class 22 or 23) would be
   * refused on every retry and hold back every record queued behind it: its rows are written
   * one by one instead, and a row refused on its own is dropped and logged.
   */
  private async write(records: DeliveryRecord[]): Promise<void> {
    try {
      await this.insert(records);
    } catch (error) {
      if (!refusedForData(error)) throw error;
      if (records.length === 1) {
        this.logger.error(
          { err: error, source: records[0]!.source, deliveryId: records[0]!.deliveryId },
          'InboxDelivery record refused by Postgres: dropped (the delivery itself is unaffected)',
        );
        return;
      }
      for (const record of records) await this.write([record]);
    }
  }

  private async insert(records: DeliveryRecord[]): Promise<void> {
    const values: unknown[] = [];
    const rows = records.map((r, i) => {
      // NUL is refused by text and jsonb alike. Envelopes are built from bodies the acceptor
      // already cleaned; refusal reasons and claimed ids may still quote one from a raw body.
      values.push(
        r.source,
        replaceNulCharacters(r.deliveryId),
        replaceNulCharacters(r.event),
        r.envelope?.id ?? null,
        r.outcome,
        r.detail === null ? null : replaceNulCharacters(r.detail),
        r.envelope ? JSON.stringify(r.envelope) : null,
        r.receivedAt,
      );
      const p = (n: number) => `$${i * COLUMNS + n}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::jsonb, ${p(8)})`;
    });
    await this.pool.query(
      `INSERT INTO "InboxDelivery" ("source", "deliveryId", "event", "envelopeId", "outcome", "detail", "envelope", "receivedAt")
       VALUES ${rows.join(', ')}
       ON CONFLICT ("source", "deliveryId") DO UPDATE SET
         "event" = EXCLUDED."event", "envelopeId" = EXCLUDED."envelopeId", "outcome" = EXCLUDED."outcome",
         "detail" = EXCLUDED."detail", "envelope" = EXCLUDED."envelope", "receivedAt" = EXCLUDED."receivedAt"
       WHERE "InboxDelivery"."outcome" NOT IN ('accepted', 'duplicate')`,
      values,
    );
  }

  private dropOverflow(): void {
    let dropped = 0;
    for (const key of this.pending.keys()) {
      if (this.pending.size <= this.options.maxPending) break;
      this.pending.delete(key);
      dropped += 1;
    }
    if (dropped > 0) {
      this.options.onDropped?.(dropped);
      this.logger.error(
        { dropped },
        'InboxDelivery backlog full: oldest records dropped (the deliveries themselves are on the stream)',
      );
    }
  }
}

/** Postgres refused the values themselves (data exception, integrity violation): retrying cannot help. */
function refusedForData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
