import { Inject, Injectable, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LOGGER, METRICS } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import type { Registry } from 'prom-client';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { BatchedDeliveryLog } from '../persistence/delivery-log';
import { ingressMetrics } from '../application/metrics';
import { WebhookAcceptor } from '../application/accept';
import { JetStreamEnvelopePublisher } from '../messaging/jetstream-publisher';
import { webhookSources } from '../application/webhook-source';
import type { WebhookSource } from '../application/webhook-source';
import { WebhookTriggers } from '../application/webhook-triggers';
import { SlackBudgetModal } from '../application/slack-budget-modal';
import { RpcClient } from '@horizon/messaging';

/**
 * Mounts the webhook endpoints straight on Fastify, in their own encapsulated scope: a catch-all
 * content-type parser keeps the raw Buffer (the signature covers the exact bytes), the body limit
 * is the configured one, and the answer is ours alone — Nest's pipeline would parse the body first.
 */
@Injectable()
export class WebhookRoutes implements OnModuleInit, BeforeApplicationShutdown {
  private readonly deliveryLog: BatchedDeliveryLog;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) db: Database,
    private readonly publisher: JetStreamEnvelopePublisher,
    private readonly triggers: WebhookTriggers,
    private readonly rpc: RpcClient,
  ) {
    this.deliveryLog = new BatchedDeliveryLog(db.pool, logger.child({ component: 'inbox-delivery' }), {
      onDropped: (count) => ingressMetrics(registry).inboxDropped(count),
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const limit = this.config.INGRESS_BODY_LIMIT;
    const options = {
      publisher: this.publisher,
      log: this.deliveryLog,
      metrics: ingressMetrics(this.registry),
      logger: this.logger.child({ component: 'webhooks' }),
      retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS,
    };
    const budgetModal = new SlackBudgetModal(
      this.rpc,
      this.logger.child({ component: 'slack-budget-modal' }),
    );
    const sources = webhookSources(this.config, budgetModal);
    void fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) =>
        done(null, body),
      );
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
          options.logger.warn({ path: request.url, limit }, 'webhook refused: body too large');
          options.metrics.delivery(request.url.split('/')[2] ?? 'unknown', 'refused', 0);
          return reply.status(413).send({ error: `body larger than the ${limit}-byte limit` });
        }
        const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) options.logger.error({ err: error, path: request.url }, 'webhook handler failed');
        return reply.status(status).send({ error: status === 500 ? 'internal error' : error.message });
      });
      const answer = async (source: WebhookSource, request: FastifyRequest, reply: FastifyReply) => {
        const response = await new WebhookAcceptor(source, options).accept({
          headers: request.headers,
          rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          receivedAt: new Date(),
        });
        return reply
          .status(response.status)
          .headers(response.headers ?? {})
          .send(response.body);
      };
      for (const source of sources)
        scope.post(source.path, (request, reply) => answer(source, request, reply));
      // A trigger is looked up per delivery: one created or deleted through the API applies at once.
      scope.post<{ Params: { name: string } }>('/webhooks/generic/:name', async (request, reply) =>
        answer(await this.triggers.source(request.params.name), request, reply),
      );
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.deliveryLog.close();
  }

  /** For tests: waits until every delivery record is in Postgres. */
  drainDeliveryLog(timeoutMs?: number): Promise<void> {
    return this.deliveryLog.drain(timeoutMs);
  }
}
