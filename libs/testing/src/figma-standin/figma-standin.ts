import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';

export interface FigmaStandinFile {
  name: string;
  /** Pages (canvases), each with its top-level frames. */
  pages: { name: string; frames: string[] }[];
  comments?: { author: string; message: string; frame?: string; resolved?: boolean }[];
}

export interface FigmaStandin {
  url: string;
  token: string;
  readonly requests: { method: string; path: string; query: Record<string, string> }[];
  addFile(file: FigmaStandinFile): string;
  close(): Promise<void>;
}

interface Operation {
  template: RegExp;
  method: string;
  query: Map<string, string>;
}

/**
 * The operations of Figma's REST API as its own OpenAPI description (`@figma/rest-api-spec`)
 * declares them: a request the spec has no operation for, or with a query parameter the
 * operation does not declare or of the wrong type, is refused as Figma refuses it (400).
 */
function figmaOperations(): Operation[] {
  const spec = parse(readFileSync(require.resolve('@figma/rest-api-spec/openapi/openapi.yaml'), 'utf8')) as {
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: string; schema?: { type?: string } }[] }>
    >;
  };
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      template: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      method: method.toUpperCase(),
      query: new Map(
        (op.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => [p.name, p.schema?.type ?? 'string']),
      ),
    })),
  );
}

/**
 * Figma's REST API for the reads mcp-context makes (`GET /v1/files/:key` with `depth`, and
 * `GET /v1/files/:key/comments`), on 127.0.0.1. Requests are checked against Figma's OpenAPI
 * description; no or another `X-Figma-Token` is 403 "Invalid token", an unknown file 404
 * "Not found", as Figma answers them ({status, err}).
 */
export async function startFigmaStandin(): Promise<FigmaStandin> {
  const operations = figmaOperations();
  const token = `figd_${randomBytes(20).toString('base64url')}`;
  const files = new Map<string, FigmaStandinFile>();
  const requests: FigmaStandin['requests'] = [];

  const server = createServer((req, res) => handle(req, res));
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://figma.test');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query });
    const op = operations.find((o) => o.method === req.method && o.template.test(url.pathname));
    if (!op) return send(res, 404, { status: 404, err: 'Not found' });
    for (const [name, value] of Object.entries(query)) {
      const type = op.query.get(name);
      if (!type) return send(res, 400, { status: 400, err: `Unknown parameter: ${name}` });
      if (type === 'number' && !/^\d+$/.test(value))
        return send(res, 400, { status: 400, err: `Invalid value for ${name}: expected a number` });
      if (type === 'boolean' && value !== 'true' && value !== 'false')
        return send(res, 400, { status: 400, err: `Invalid value for ${name}: expected a boolean` });
    }
    if (req.headers['x-figma-token'] !== token) return send(res, 403, { status: 403, err: 'Invalid token' });
    const route = /^\/v1\/files\/([^/]+)(\/comments)?$/.exec(url.pathname);
    const file = route ? files.get(route[1]!) : undefined;
    if (!route || !file) return send(res, 404, { status: 404, err: 'Not found' });
    if (route[2]) return send(res, 200, { comments: commentsOf(route[1]!, file) });
    const depth = query.depth ? Number(query.depth) : Infinity;
    return send(res, 200, fileOf(file, depth));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addFile(file) {
      const key = randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
      files.set(key, file);
      return key;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function frameId(page: number, frame: number): string {
  return `${page + 1}:${frame + 1}`;
}

function fileOf(file: FigmaStandinFile, depth: number) {
  return {
    name: file.name,
    role: 'viewer',
    lastModified: '2026-12-01T10:00:00Z',
    editorType: 'figma',
    version: '4242',
    document: {
      id: '0:0',
      name: 'Document',
      type: 'DOCUMENT',
      children:
        depth < 1
          ? []
          : file.pages.map((page, p) => ({
              id: `0:${p + 1}`,
              name: page.name,
              type: 'CANVAS',
              children:
                depth < 2
                  ? []
                  : page.frames.map((name, f) => ({ id: frameId(p, f), name, type: 'FRAME', children: [] })),
            })),
    },
    components: {},
    componentSets: {},
    schemaVersion: 0,
    styles: {},
  };
}

function commentsOf(key: string, file: FigmaStandinFile) {
  return (file.comments ?? []).map((c, i) => {
    const frame = file.pages
      .flatMap((p, pi) => p.frames.map((f, fi) => ({ f, id: frameId(pi, fi) })))
      .find((x) => x.f === c.frame);
    return {
      id: String(1000 + i),
      file_key: key,
      parent_id: '',
      user: { id: String(i), handle: c.author, img_url: '' },
      created_at: '2026-12-01T09:00:00Z',
      resolved_at: c.resolved ? '2026-12-02T09:00:00Z' : null,
      message: c.message,
      client_meta: frame ? { node_id: frame.id, node_offset: { x: 0, y: 0 } } : { x: 0, y: 0 },
      order_id: String(i + 1),
      reactions: [],
    };
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
