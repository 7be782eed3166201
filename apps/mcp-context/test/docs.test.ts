import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseConfig } from '@horizon/config';
import { startService } from '@horizon/runtime';
import {
  createTestDatabase,
  createTestMessaging,
  freePort,
  NOTION_VERSION,
  startFigmaStandin,
  startNotionStandin,
} from '@horizon/testing';
import type { FigmaStandin, NotionStandin, TestDatabase, TestMessaging } from '@horizon/testing';
import { MCP_SCOPES, RunTokenIssuer, type McpScope } from '@horizon/run-tokens';
import { McpContextModule } from '../src/app.module';
import { configShape } from '../src/config';

/**
 * The team's documents through mcp-context: Notion played by a stand-in that answers and
 * refuses as Notion's API does, read by the official `@notionhq/client`, asked through the
 * official MCP client with a run token.
 */
describe('mcp-context: documents from Notion, designs from Figma', () => {
  let figma: FigmaStandin;
  let db: TestDatabase;
  let messaging: TestMessaging;
  let notion: NotionStandin;
  let app: INestApplication;
  let root: string;
  let base: string;
  let issuer: RunTokenIssuer;
  const clients: Client[] = [];
  const runId = randomUUID();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mcp-docs-'));
    let port: number;
    [db, messaging, notion, figma, port] = await Promise.all([
      createTestDatabase(),
      createTestMessaging(),
      startNotionStandin(),
      startFigmaStandin(),
      freePort(),
    ]);
    const config = parseConfig(configShape, {
      DATABASE_URL: db.urlFor('mcp-context'),
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: 'silent',
      HORIZON_DATA_DIR: join(root, 'data'),
      MCP_CONTEXT_PORT: String(port),
      MCP_TOKEN_SECRET: 'docs-secret-for-mcp-context-run-tokens-0123456789',
      MCP_PAGE_MAX_BYTES: '4096',
      NOTION_TOKEN: notion.token,
      NOTION_API_URL: notion.url,
      FIGMA_TOKEN: figma.token,
      FIGMA_API_URL: figma.url,
    });
    app = await startService({ name: 'mcp-context', module: McpContextModule.register(config), port });
    base = `http://127.0.0.1:${port}`;
    issuer = app.get(RunTokenIssuer);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await app?.close();
    await Promise.all([db?.drop(), messaging?.cleanup(), notion?.close(), figma?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  async function connect(scopes: readonly McpScope[] = MCP_SCOPES): Promise<Client> {
    const token = issuer.mint({
      runId,
      scopes,
      expiresAt: new Date(Date.now() + 3_600_000),
      repo: 'acme/shop',
      workspace: root,
    }).token;
    const client = new Client({ name: 'mcp-docs-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}`, 'x-horizon-run': runId } },
      }),
    );
    clients.push(client);
    return client;
  }

  it('reads a long page by its URL as markdown, across Notion’s pages of blocks and the tool’s own', async () => {
    const steps = Array.from({ length: 130 }, (_, i) => ({
      type: 'numbered_list_item' as const,
      text: `Step ${i + 1}: the cart keeps its lines when the shopper signs in.`,
    }));
    const id = notion.addPage({
      title: 'Checkout requirements',
      blocks: [
        { type: 'heading_1', text: 'Checkout' },
        { type: 'to_do', text: 'Gift cards', checked: true },
        ...steps,
      ],
    });
    const client = await connect();
    const url = `https://www.notion.so/acme/Checkout-requirements-${id.replace(/-/g, '')}`;
    let answer = (await client.callTool({ name: 'docs_get_page', arguments: { id: url } }))
      .structuredContent as {
      source: string;
      items: { title: string; content: string }[];
      nextCursor: string | null;
    };
    expect(answer.source).toBe('notion');
    expect(answer.items[0]!.title).toBe('Checkout requirements');
    let content = answer.items[0]!.content;
    let calls = 1;
    while (answer.nextCursor) {
      calls += 1;
      answer = (
        await client.callTool({ name: 'docs_get_page', arguments: { id: url, cursor: answer.nextCursor } })
      ).structuredContent as typeof answer;
      content += answer.items[0]!.content;
    }
    expect(content.startsWith('# Checkout\n\n- [x] Gift cards\n\n1. Step 1:')).toBe(true);
    expect(content).toContain('1. Step 130: the cart keeps its lines');
    expect(calls).toBeGreaterThan(1); // over the 4 KiB page cap of this suite
    // Each call reads the page anew: its blocks in Notion's pages of 100 (100, then 30), with
    // the API version every time.
    const reads = notion.requests.filter((r) => r.path.endsWith('/children'));
    expect(reads).toHaveLength(2 * calls);
    expect(notion.requests.every((r) => r.version === NOTION_VERSION)).toBe(true);
  });

  it('lists a database’s rows with their properties', async () => {
    const id = notion.addDatabase('Decisions', [
      { title: 'Prices include tax', blocks: [], properties: { Status: 'Decided', Owner: 'Ada' } },
      { title: 'Coupons stack', blocks: [], properties: { Status: 'Open', Owner: 'Grace' } },
    ]);
    const client = await connect();
    const answer = (await client.callTool({ name: 'docs_query_database', arguments: { id } }))
      .structuredContent as {
      database: string;
      items: { title: string; properties: Record<string, string> }[];
    };
    expect(answer.database).toBe('Decisions');
    expect(answer.items.map((r) => [r.title, r.properties.Status, r.properties.Owner])).toEqual([
      ['Prices include tax', 'Decided', 'Ada'],
      ['Coupons stack', 'Open', 'Grace'],
    ]);
  });

  it('says what is wrong: a page not shared with the integration, an id that is none', async () => {
    const client = await connect();
    const missing = await client.callTool({ name: 'docs_get_page', arguments: { id: randomUUID() } });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain("shared with Horizon's integration");
    const bad = await client.callTool({ name: 'docs_get_page', arguments: { id: 'the checkout spec' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('names no Notion page or database');
  });

  it('offers the document tools only to a token with docs:read', async () => {
    const withoutDocs = await connect(MCP_SCOPES.filter((s) => s !== 'docs:read'));
    const { tools } = await withoutDocs.listTools();
    expect(tools.map((t) => t.name)).not.toContain('docs_get_page');
    const refused = await withoutDocs
      .callTool({ name: 'docs_get_page', arguments: { id: randomUUID() } })
      .catch((err: unknown) => ({ isError: true, content: String(err) }));
    expect(refused.isError).toBe(true);
  });

  it('reads a Figma file’s frames page by page and its comments, by the file’s URL, asking only two levels', async () => {
    const key = figma.addFile({
      name: 'Checkout mockups',
      pages: [
        { name: 'Cart', frames: ['Cart — empty', 'Cart — with gift card'] },
        { name: 'Payment', frames: ['Card form'] },
      ],
      comments: [
        {
          author: 'grace',
          message: 'The gift card line needs its own total.',
          frame: 'Cart — with gift card',
        },
        { author: 'ada', message: 'Looks good overall.', resolved: true },
      ],
    });
    const client = await connect();
    const url = `https://www.figma.com/design/${key}/Checkout-mockups?node-id=0-1`;
    const file = (await client.callTool({ name: 'design_get_file', arguments: { key: url } }))
      .structuredContent as {
      file: { key: string; name: string };
      items: { id: string; name: string; page: string; url: string }[];
    };
    expect(file.file).toMatchObject({ key, name: 'Checkout mockups' });
    expect(file.items.map((f) => [f.page, f.name, f.id])).toEqual([
      ['Cart', 'Cart — empty', '1:1'],
      ['Cart', 'Cart — with gift card', '1:2'],
      ['Payment', 'Card form', '2:1'],
    ]);
    expect(file.items[1]!.url).toBe(`https://www.figma.com/design/${key}/?node-id=1-2`);
    const comments = (await client.callTool({ name: 'design_list_comments', arguments: { key } }))
      .structuredContent as {
      items: { author: string; message: string; resolved: boolean; frameId: string | null }[];
    };
    expect(comments.items.map((c) => [c.author, c.resolved, c.frameId])).toEqual([
      ['grace', false, '1:2'],
      ['ada', true, null],
    ]);
    // Every request was one Figma's API description has, with the parameters it declares.
    expect(figma.requests.map((r) => [r.path, r.query])).toEqual([
      [`/v1/files/${key}`, { depth: '2' }],
      [`/v1/files/${key}/comments`, { as_md: 'true' }],
    ]);
    const missing = await client.callTool({
      name: 'design_get_file',
      arguments: { key: 'AbCdEfGhIjKlMnOp' },
    });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain(
      "no file AbCdEfGhIjKlMnOp that Horizon's token may read",
    );
  });
});
