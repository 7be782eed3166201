import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { counter, LOGGER, METRICS } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import type { Registry } from 'prom-client';
import { MCP_SCOPES, RunTokenIssuer } from '@horizon/run-tokens';
import type { McpContextConfig } from '../config';
import { buildMcpServer, scopeOfTool } from './mcp/server';
import { MCP_CONFIG, SOURCES } from '../tokens';
import type { Sources } from '../sources/sources';
import { authorize, challenge } from './authorize';

export const MCP_PATH = '/mcp';
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * `/mcp` on the service's Fastify, as the MCP streamable HTTP transport in stateless mode:
 * every POST is authorized, then answered by a server and transport made for it alone. No
 * session lives in memory, so any replica answers any request and a revoked token stops
 * working on the next call; the cost is building the tool list per request (microseconds).
 */
@Injectable()
export class McpRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_CONFIG) private readonly config: McpContextConfig,
    @Inject(SOURCES) private readonly sources: Sources,
    private readonly issuer: RunTokenIssuer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const resource = `${this.publicUrl()}${MCP_PATH}`;
    const metadataUrl = `${this.publicUrl()}${RESOURCE_METADATA_PATH}${MCP_PATH}`;
    const metadata = {
      resource,
      ...(this.config.MCP_AUTHORIZATION_SERVER
        ? { authorization_servers: [this.config.MCP_AUTHORIZATION_SERVER] }
        : {}),
      scopes_supported: [...MCP_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: 'Horizon mcp-context',
      resource_documentation: 'https://github.com/horizon/horizon/blob/main/docs/mcp-context.md',
    };
    const requests = counter(
      this.registry,
      'hzn_mcp_requests_total',
      'MCP requests by outcome (answered, or the refusal status)',
      ['outcome'],
    );
    // RFC 9728 §3.1: the metadata of resource https://host/mcp lives at /.well-known/oauth-protected-resource/mcp.
    for (const path of [RESOURCE_METADATA_PATH, `${RESOURCE_METADATA_PATH}${MCP_PATH}`])
      fastify.get(path, async () => metadata);

    fastify.post(MCP_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
      const decision = await authorize(
        request.headers,
        request.body,
        (t) => this.issuer.verify(t),
        scopeOfTool,
      );
      if (!decision.ok) {
        requests.inc({ outcome: String(decision.refusal.status) });
        this.logger.info(
          { status: decision.refusal.status, reason: decision.refusal.reason },
          'mcp request refused',
        );
        return reply
          .status(decision.refusal.status)
          .header('www-authenticate', challenge(decision.refusal, metadataUrl, decision.scope))
          .send({
            jsonrpc: '2.0',
            id: rpcId(request.body),
            error: { code: -32001, message: decision.refusal.reason },
          });
      }
      requests.inc({ outcome: 'answered' });
      const logger = this.logger.child({ runId: decision.claims.runId });
      const server = buildMcpServer(
        { claims: decision.claims, sources: this.sources, limits: this.limits() },
        logger,
      );
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    });

    // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
    for (const method of ['GET', 'DELETE'] as const)
      fastify.route({
        method,
        url: MCP_PATH,
        handler: async (_request, reply) =>
          reply
            .status(405)
            .header('allow', 'POST')
            .send({
              jsonrpc: '2.0',
              id: null,
              error: { code: -32000, message: 'Method not allowed: this server is stateless, POST only' },
            }),
      });
  }

  private publicUrl(): string {
    return (this.config.MCP_PUBLIC_URL ?? `http://127.0.0.1:${this.config.MCP_CONTEXT_PORT}`).replace(
      /\/$/,
      '',
    );
  }

  private limits() {
    return { maxBytes: this.config.MCP_PAGE_MAX_BYTES, maxItems: this.config.MCP_PAGE_MAX_ITEMS };
  }
}

function rpcId(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
