import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { parseConfig } from '@horizon/config';
import { startService } from '@horizon/runtime';
import { createTestDatabase, createTestMessaging, freePort } from '@horizon/testing';
import type { TestDatabase, TestMessaging } from '@horizon/testing';
import { MCP_SCOPES, RunTokenIssuer } from '@horizon/run-tokens';
import { McpContextModule } from '../src/app.module';
import { configShape } from '../src/config';
import { startPeers } from './support/peers';
import { seedFiles, seedHorizon } from './support/seed';

const SECRET = 'fuzz-secret-for-mcp-context-run-tokens-0123456789';

/** A JSON value an agent might send where an argument goes: anything, deep or odd. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Plausible strings: ids, paths, cursors, huge ones, control characters, other scripts. */
const oddString = fc.oneof(
  fc.string(),
  fc.uuid(),
  fc.constantFrom('../../etc/passwd', '', ' ', '\u0000', 'a'.repeat(70_000), 'eyJvZmZzZXQiOi0xfQ', '🧨'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/**
 * mcp-context's tools under fuzzing, through the official MCP client over streamable HTTP, with a
 * valid run token: every tool named in `tools/list`, called with random and mutated arguments,
 * answers a result or a tool error naming what was wrong, never a protocol-level internal error,
 * and the service answers well-formed calls afterwards. Tools whose SaaS is not configured here
 * (Slack, GitHub) answer that they are not configured, which is a tool error like any other.
 */
describe('mcp-context under fuzzing (official MCP client, real Postgres and NATS)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let app: INestApplication;
  let peers: Awaited<ReturnType<typeof startPeers>>;
  let root: string;
  let client: Client;
  let tools: Tool[];
  let base: string;
  let token: string;
  const runId = randomUUID();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mcp-fuzz-'));
    let port: number;
    [db, messaging, port] = await Promise.all([createTestDatabase(), createTestMessaging(), freePort()]);
    await seedHorizon(db.url);
    const { workspace } = seedFiles(root);
    const config = parseConfig(configShape, {
      DATABASE_URL: db.urlFor('mcp-context'),
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: 'silent',
      HORIZON_DATA_DIR: join(root, 'data'),
      MCP_CONTEXT_PORT: String(port),
      MCP_TOKEN_SECRET: SECRET,
    });
    peers = await startPeers(db, messaging, join(root, 'data'));
    app = await startService({ name: 'mcp-context', module: McpContextModule.register(config), port });
    base = `http://127.0.0.1:${port}`;
    token = app.get(RunTokenIssuer).mint({
      runId,
      scopes: MCP_SCOPES,
      expiresAt: new Date(Date.now() + 3_600_000),
      repo: 'acme/shop',
      workspace,
    }).token;
    client = new Client({ name: 'mcp-fuzz', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}`, 'x-horizon-run': runId } },
      }),
    );
    ({ tools } = await client.listTools());
  }, 120_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await app?.close();
    await peers?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    rmSync(root, { recursive: true, force: true });
  });

  /** Arguments for `tool`: its declared properties with random values, some dropped, some extra. */
  const argumentsFor = (tool: Tool) => {
    const declared = Object.keys(tool.inputSchema.properties ?? {});
    return fc.record(
      {
        ...Object.fromEntries(declared.map((k) => [k, fc.oneof(oddString, anyJson, fc.integer())])),
        extra: anyJson,
      },
      { requiredKeys: [] },
    );
  };

  it('answers random arguments to every tool with a result or a tool error, never an internal error', async () => {
    expect(tools.length).toBeGreaterThan(5);
    const call = fc
      .integer({ min: 0, max: tools.length - 1 })
      .chain((i) => argumentsFor(tools[i]!).map((args) => ({ tool: tools[i]!, args })));
    await fc.assert(
      fc.asyncProperty(call, async ({ tool, args }) => {
        let result: Awaited<ReturnType<Client['callTool']>>;
        try {
          result = await client.callTool({ name: tool.name, arguments: args });
        } catch (err) {
          // The SDK throws for JSON-RPC errors and HTTP refusals: "invalid params", or a 4xx with
          // its reason (a `__proto__` key is refused as prototype poisoning before any tool runs).
          expect({ tool: tool.name, args, error: String(err) }).toMatchObject({
            error: expect.stringMatching(
              /-32602|Invalid (arguments|params)|"statusCode":4\d\d,"message":"\w/i,
            ),
          });
          return;
        }
        if (result.isError) {
          const text = JSON.stringify(result.content);
          expect(text.length).toBeGreaterThan(10); // it says what was wrong
          expect(text).not.toMatch(/internal server error|stack|at .*\.ts:\d+/i);
        }
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    // Still serving well-formed calls.
    const conventions = await client.callTool({ name: 'repo_conventions', arguments: {} });
    expect(conventions.isError).toBeFalsy();
  }, 180_000);

  it('refuses random JSON-RPC bodies and media types with a 4xx, never a 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc
        .record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: oddString, params: anyJson })
        .map((v) => JSON.stringify(v)),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (payload, type) => {
        const res = await fetch(`${base}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'x-horizon-run': runId,
            accept: 'application/json, text/event-stream',
            ...(type ? { 'content-type': type } : {}),
          },
          body: payload,
        });
        await res.arrayBuffer();
        expect({ status: res.status, payload }).toMatchObject({ status: expect.any(Number) });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
