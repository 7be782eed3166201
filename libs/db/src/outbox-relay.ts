import pg from 'pg';
import type { Envelope } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { outboxChannel } from './outbox';

/** The one thing the relay needs from messaging: publish with the envelope id as Nats-Msg-Id. */
export interface EnvelopePublisher {
  publish(envelope: Envelope): Promise<unknown>;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Poll interval when no notification arrives (default 1 s). */
  pollMs?: number;
}

/**
 * Publishes committed outbox rows to JetStream and marks them sent. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several relays (replicas) never publish the same row at once;
 * a crash after publishing but before marking re-publishes the same Nats-Msg-Id, which
 * JetStream's de-duplication window absorbs — each event lands once.
 */
export class OutboxRelay {
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private relistenTimer?: NodeJS.Timeout;
  private running = false;
  private draining: Promise<void> = Promise.resolve();
  private again = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: EnvelopePublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  /** `schema`: whose outbox this relay drains (its pool's search_path names the same one). */
  async start(databaseUrl: string, schema: string): Promise<void> {
    this.running = true;
    await this.listen(databaseUrl, schema);
    const poll = () => {
      this.kick();
      this.timer = setTimeout(poll, this.options.pollMs ?? 1000);
    };
    poll();
  }

  /**
   * LISTENs on its own connection. A lost connection (Postgres restarting) is re-opened with
   * backoff, draining once on return for what was notified meanwhile; polling covers the gap.
   */
  private async listen(databaseUrl: string, schema: string): Promise<void> {
    const listener = new pg.Client({ connectionString: databaseUrl });
    this.listener = listener;
    let listening = false;
    listener.on('notification', () => this.kick());
    listener.on('error', (err) => {
      // Before LISTEN succeeded, the failure is listen()'s to report (its caller retries).
      if (!listening) return;
      listening = false;
      this.logger.warn({ err }, 'outbox listener lost; polling continues while it reconnects');
      void listener.end().catch(() => undefined);
      this.relisten(databaseUrl, schema, 500);
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${outboxChannel(schema)}`);
      listening = true;
    } catch (err) {
      await listener.end().catch(() => undefined);
      throw err;
    }
  }

  private relisten(databaseUrl: string, schema: string, delayMs: number): void {
    if (!this.running) return;
    this.relistenTimer = setTimeout(() => {
      this.listen(databaseUrl, schema).then(
        () => {
          this.logger.info('outbox listener reconnected');
          this.kick();
        },
        () => this.relisten(databaseUrl, schema, Math.min(delayMs * 2, 30_000)),
      );
    }, delayMs);
  }

  /** Runs a drain now, or once more right after the one in progress. */
  kick(): void {
    if (!this.running) return;
    if (this.again) return;
    this.again = true;
    this.draining = this.draining.then(async () => {
      this.again = false;
      await this.drain().catch((err) => this.logger.error({ err }, 'outbox relay pass failed; will retry'));
    });
  }

  /** Publishes every pending row; returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < (this.options.batchSize ?? 100)) return total;
    }
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ seq: string; envelope: Envelope }>(
        `SELECT "seq", "envelope" FROM "OutboxEvent" WHERE "sentAt" IS NULL
         ORDER BY "seq" LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 100],
      );
      const sent: string[] = [];
      for (const row of rows) {
        try {
          await this.publisher.publish(row.envelope);
          sent.push(row.seq);
        } catch (err) {
          await client.query(
            `UPDATE "OutboxEvent" SET "attempts" = "attempts" + 1, "lastError" = $2 WHERE "seq" = $1`,
            [row.seq, (err as Error).message],
          );
          // Keep order: later rows wait for this one.
          break;
        }
      }
      if (sent.length)
        await client.query(
          `UPDATE "OutboxEvent" SET "sentAt" = now(), "attempts" = "attempts" + 1 WHERE "seq" = ANY($1::bigint[])`,
          [sent],
        );
      await client.query('COMMIT');
      return sent.length === rows.length ? rows.length : 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.relistenTimer);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }
}
