import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A block of a stand-in page: Notion's block types the readers meet most, with plain text. */
export interface NotionStandinBlock {
  type:
    | 'paragraph'
    | 'heading_1'
    | 'heading_2'
    | 'heading_3'
    | 'bulleted_list_item'
    | 'numbered_list_item'
    | 'to_do'
    | 'quote'
    | 'code';
  text: string;
  checked?: boolean;
}

export interface NotionStandinPage {
  title: string;
  blocks: NotionStandinBlock[];
  /** Properties shown as rows of a database (besides the title). */
  properties?: Record<string, string>;
}

export interface NotionStandin {
  url: string;
  token: string;
  /** Every request, as received (method, path, Notion-Version). */
  readonly requests: { method: string; path: string; version: string | undefined }[];
  addPage(page: NotionStandinPage): string;
  /** A database with one data source whose rows are `rows` (pages). */
  addDatabase(title: string, rows: NotionStandinPage[]): string;
  close(): Promise<void>;
}

/** The API version this stand-in speaks; the official client's default (`@notionhq/client` 5). */
export const NOTION_VERSION = '2025-09-03';
const PAGE_SIZE_MAX = 100;

/**
 * Notion's REST API for the reads mcp-context makes, on 127.0.0.1, answering as Notion does:
 * `GET /v1/pages/{id}`, `GET /v1/blocks/{id}/children` (paged by `start_cursor`/`page_size`),
 * `GET /v1/databases/{id}` (its data sources) and `POST /v1/data_sources/{id}/query` (paged).
 * It refuses what Notion refuses, with Notion's error objects: no or another bearer token
 * (401 `unauthorized`), no `Notion-Version` header (400 `missing_version`), an id that is not a
 * UUID (400 `validation_error`), an object it does not have (404 `object_not_found`), a
 * `page_size` above 100 (400).
 */
export async function startNotionStandin(): Promise<NotionStandin> {
  const token = `ntn_${randomUUID().replace(/-/g, '')}`;
  const pages = new Map<string, NotionStandinPage>();
  const databases = new Map<string, { title: string; dataSource: string; rows: string[] }>();
  const requests: NotionStandin['requests'] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) =>
      send(res, 500, error(500, 'internal_server_error', String(err))),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://notion.test');
    const version = req.headers['notion-version'] as string | undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, version });
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, error(401, 'unauthorized', 'API token is invalid.'));
    if (!version)
      return send(
        res,
        400,
        error(
          400,
          'missing_version',
          'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
        ),
      );
    const route = /^\/v1\/(pages|blocks|databases|data_sources)\/([^/]+)(\/children|\/query)?$/.exec(
      url.pathname,
    );
    if (!route) return send(res, 400, error(400, 'invalid_request_url', 'Invalid request URL.'));
    const [, kind, rawId, tail] = route;
    const id = normalizeId(rawId!);
    if (!id)
      return send(
        res,
        400,
        error(
          400,
          'validation_error',
          `path failed validation: path.${kind === 'blocks' ? 'block_id' : 'id'} should be a valid uuid, instead was \`"${rawId}"\`.`,
        ),
      );
    const size = Number(
      url.searchParams.get('page_size') ?? (isObject(body) ? body.page_size : undefined) ?? PAGE_SIZE_MAX,
    );
    if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE_MAX)
      return send(
        res,
        400,
        error(400, 'validation_error', 'body failed validation: body.page_size should be ≤ `100`.'),
      );
    const cursor =
      url.searchParams.get('start_cursor') ??
      (isObject(body) ? (body.start_cursor as string | undefined) : undefined);

    if (kind === 'pages' && !tail && req.method === 'GET') {
      const page = pages.get(id);
      return page ? send(res, 200, pageObject(id, page)) : notFound(res, id);
    }
    if (kind === 'blocks' && tail === '/children' && req.method === 'GET') {
      const page = pages.get(id);
      if (!page) return notFound(res, id);
      const blocks = page.blocks.map((b, i) =>
        blockObject(`${id.slice(0, 24)}${String(i).padStart(12, '0')}`, b),
      );
      return send(res, 200, listOf('block', blocks, cursor, size));
    }
    if (kind === 'databases' && !tail && req.method === 'GET') {
      const db = databases.get(id);
      if (!db) return notFound(res, id);
      return send(res, 200, {
        object: 'database',
        id,
        title: richText(db.title),
        data_sources: [{ id: db.dataSource, name: db.title }],
        url: `https://www.notion.so/${id.replace(/-/g, '')}`,
      });
    }
    if (kind === 'data_sources' && tail === '/query' && req.method === 'POST') {
      const db = [...databases.values()].find((d) => d.dataSource === id);
      if (!db) return notFound(res, id);
      const rows = db.rows.map((rowId) => pageObject(rowId, pages.get(rowId)!));
      return send(res, 200, listOf('page', rows, cursor, size));
    }
    return send(
      res,
      400,
      error(400, 'invalid_request', `Unsupported request: ${req.method} ${url.pathname}.`),
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const addPage = (page: NotionStandinPage) => {
    const id = randomUUID();
    pages.set(id, page);
    return id;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addPage,
    addDatabase(title, rows) {
      const id = randomUUID();
      databases.set(id, { title, dataSource: randomUUID(), rows: rows.map(addPage) });
      return id;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Notion takes ids with or without dashes and answers them with. */
function normalizeId(raw: string): string | null {
  const hex = raw.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function richText(text: string) {
  return [
    { type: 'text', text: { content: text, link: null }, plain_text: text, href: null, annotations: {} },
  ];
}

function pageObject(id: string, page: NotionStandinPage) {
  const extra = Object.fromEntries(
    Object.entries(page.properties ?? {}).map(([name, value]) => [
      name,
      { id: name, type: 'rich_text', rich_text: richText(value) },
    ]),
  );
  return {
    object: 'page',
    id,
    created_time: '2026-11-30T09:00:00.000Z',
    last_edited_time: '2026-12-01T10:00:00.000Z',
    archived: false,
    in_trash: false,
    url: `https://www.notion.so/${page.title.replace(/\W+/g, '-')}-${id.replace(/-/g, '')}`,
    properties: { Name: { id: 'title', type: 'title', title: richText(page.title) }, ...extra },
  };
}

function blockObject(id: string, block: NotionStandinBlock) {
  const content: Record<string, unknown> = { rich_text: richText(block.text) };
  if (block.type === 'to_do') content.checked = block.checked ?? false;
  if (block.type === 'code') content.language = 'plain text';
  return {
    object: 'block',
    id: normalizeId(id.replace(/-/g, '')) ?? id,
    type: block.type,
    has_children: false,
    [block.type]: content,
  };
}

function listOf(type: 'block' | 'page', results: unknown[], cursor: string | undefined, size: number) {
  const start = cursor ? Number(cursor) : 0;
  const slice = results.slice(start, start + size);
  const next = start + size < results.length ? String(start + size) : null;
  return { object: 'list', results: slice, next_cursor: next, has_more: next !== null, type, [type]: {} };
}

function error(status: number, code: string, message: string) {
  return { object: 'error', status, code, message, request_id: randomUUID() };
}

function notFound(res: ServerResponse, id: string) {
  send(
    res,
    404,
    error(
      404,
      'object_not_found',
      `Could not find object with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
    ),
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
