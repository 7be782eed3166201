import { JetStreamClient, JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import type { Logger } from '@horizon/observability';
import { Naming, STREAMS, StreamKey } from './naming';

export interface MessagingOptions {
  natsUrl: string;
  /** Stream/subject prefix (HZN_STREAM_PREFIX); '' in production. */
  prefix: string;
  /** Connection name shown by the NATS server's monitoring. */
  name: string;
  /** JetStream de-duplication window for Nats-Msg-Id (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Servers keeping each stream (HZN_STREAM_REPLICAS; default 1, 3 on a cluster). */
  replicas?: number;
}

/**
 * One NATS connection per service, reconnecting forever: a NATS restart is an outage to ride
 * out, not a reason to exit. Streams are provisioned idempotently at start.
 */
export class JetStreamConnection {
  readonly naming: Naming;
  /** Since when the connection to the server is lost (null while connected). */
  private disconnectedAt: Date | null = null;
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly options: MessagingOptions,
  ) {
    this.naming = new Naming(options.prefix);
  }

  static async connect(options: MessagingOptions, logger?: Logger): Promise<JetStreamConnection> {
    const nc = await connect({
      servers: options.natsUrl,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    }).catch((err: Error) => {
      throw new Error(
        `cannot reach NATS at ${options.natsUrl}: ${err.message}. Is nats-server running with -js? (npm run bootstrap starts one)`,
      );
    });
    const jsm = await jetstreamManager(nc, { timeout: 5000 });
    const connection = new JetStreamConnection(nc, jetstream(nc, { timeout: 5000 }), jsm, options);
    void connection.watch(logger);
    return connection;
  }

  private async watch(logger?: Logger): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.disconnectedAt ??= new Date();
      if (s.type === 'reconnect') this.disconnectedAt = null;
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error')
        logger?.warn({ nats: s.type }, `NATS ${s.type}`);
    }
  }

  /** Creates or updates the four streams under this connection's prefix. */
  async provisionStreams(): Promise<void> {
    const window = this.options.duplicateWindowMs ?? 120_000;
    for (const key of Object.keys(STREAMS) as StreamKey[]) {
      const config = this.naming.streamConfig(key, window, this.options.replicas ?? 1);
      try {
        await this.jsm.streams.info(config.name);
        const { retention: _retention, storage: _storage, ...mutable } = config;
        await this.jsm.streams.update(config.name, mutable);
      } catch (err) {
        if (!/stream not found/i.test((err as Error).message)) throw err;
        await this.jsm.streams.add(config);
      }
    }
  }

  /** Throws unless the server answers a JetStream API call now. */
  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection closed');
    // Said at once: a request would only wait out its timeout while the client reconnects.
    if (this.disconnectedAt)
      throw new Error(`NATS disconnected since ${this.disconnectedAt.toISOString()}; reconnecting`);
    await this.jsm.getAccountInfo();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}
