import { Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { RpcContract, DataOf, ReplyOf, createEnvelope, envelopeSchema } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { JetStreamConnection } from './connection';
import { childTraceparent } from './trace';
import { HEADER } from './publisher';
import { headers as natsHeaders } from '@nats-io/transport-node';

/** The reply body of every RPC: a value, or an error the caller can act on. */
const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/**
 * Request/reply over core NATS (not JetStream): an RPC is answered now or not at all, and
 * the caller decides what a timeout means. Responders share a queue group per subject so
 * replicas split the load.
 */
export class RpcClient {
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly source: string,
  ) {}

  async call<C extends RpcContract>(
    contract: C,
    data: DataOf<C>,
    opts: { timeoutMs?: number; traceparent?: string } = {},
  ): Promise<ReplyOf<C>> {
    const envelope = createEnvelope({
      type: contract.type,
      version: contract.version,
      subject: contract.subject,
      source: this.source,
      data: contract.data.parse(data),
    });
    const h = natsHeaders();
    h.set(HEADER.traceparent, childTraceparent(opts.traceparent));
    let raw;
    try {
      raw = await this.connection.nc.request(
        this.connection.naming.subject(contract.subject),
        JSON.stringify(envelope),
        {
          timeout: opts.timeoutMs ?? 5000,
          headers: h,
        },
      );
    } catch (err) {
      throw new RpcError(
        'unavailable',
        `${contract.subject}: no answer (${(err as Error).message}); is its service running?`,
      );
    }
    const reply = replySchema.parse(raw.json());
    if (!reply.ok) throw new RpcError(reply.error.code, `${contract.subject}: ${reply.error.message}`);
    return contract.reply.parse(reply.data) as ReplyOf<C>;
  }
}

export type RpcHandler<C extends RpcContract> = (data: DataOf<C>) => Promise<ReplyOf<C>>;

export class RpcServer {
  private readonly subscriptions: Subscription[] = [];
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly logger: Logger,
  ) {}

  serve<C extends RpcContract>(contract: C, handler: RpcHandler<C>): void {
    const sub = this.connection.nc.subscribe(this.connection.naming.subject(contract.subject), {
      queue: contract.subject,
    });
    this.subscriptions.push(sub);
    void (async () => {
      for await (const msg of sub) {
        const respond = (body: z.infer<typeof replySchema>) => msg.respond(JSON.stringify(body));
        try {
          const envelope = envelopeSchema.parse(msg.json());
          const input = contract.data.safeParse(envelope.data);
          if (!input.success) {
            respond({ ok: false, error: { code: 'invalid_request', message: z.prettifyError(input.error) } });
            continue;
          }
          const result = contract.reply.parse(await handler(input.data as DataOf<C>));
          respond({ ok: true, data: result });
        } catch (err) {
          this.logger.error({ err, subject: contract.subject }, 'rpc handler failed');
          const code = err instanceof RpcError ? err.code : 'internal';
          respond({ ok: false, error: { code, message: (err as Error).message } });
        }
      }
    })();
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.drain()));
  }
}
