import { APIErrorCode, Client, isFullBlock, isFullPage, isNotionClientError } from '@notionhq/client';
import type { DocPage, DocRow } from '../domain/records';
import { DocsSource, MAX_SOURCE_ITEMS, SourceNotFound } from './ports';

export interface NotionDocsOptions {
  token: string;
  /** `https://api.notion.com` or a stand-in. */
  url: string;
}

type Page = Extract<Awaited<ReturnType<Client['pages']['retrieve']>>, { properties: unknown }>;
type RichText = { plain_text: string }[];

/** Markdown of the block types a page's text is made of; other blocks (images, embeds) are left out. */
const MARKDOWN: Record<string, (text: string, block: Record<string, unknown>) => string> = {
  paragraph: (t) => t,
  heading_1: (t) => `# ${t}`,
  heading_2: (t) => `## ${t}`,
  heading_3: (t) => `### ${t}`,
  bulleted_list_item: (t) => `- ${t}`,
  numbered_list_item: (t) => `1. ${t}`,
  to_do: (t, b) => `- [${(b.to_do as { checked?: boolean }).checked ? 'x' : ' '}] ${t}`,
  quote: (t) => `> ${t}`,
  code: (t) => '```\n' + t + '\n```',
  callout: (t) => `> ${t}`,
};

/**
 * Notion through the official client: a page as markdown (its top-level blocks, paged by the
 * client), a database's rows through its first data source (API 2025-09-03). An id may be
 * given bare or inside the page's URL. A page the integration was not shared with is not found.
 */
export class NotionDocs implements DocsSource {
  readonly name = 'notion';
  private readonly client: Client;

  constructor(options: NotionDocsOptions) {
    this.client = new Client({ auth: options.token, baseUrl: options.url, timeoutMs: 15_000 });
  }

  async getPage(idOrUrl: string): Promise<DocPage> {
    const id = notionId(idOrUrl);
    const page = await this.found(id, () => this.client.pages.retrieve({ page_id: id }));
    if (!isFullPage(page)) throw new SourceNotFound(`notion: page ${id} is not readable`);
    const lines: string[] = [];
    let cursor: string | undefined;
    do {
      const children = await this.client.blocks.children.list({
        block_id: id,
        page_size: 100,
        ...(cursor ? { start_cursor: cursor } : {}),
      });
      for (const block of children.results) {
        if (!isFullBlock(block)) continue;
        const body = (block as unknown as Record<string, unknown>)[block.type] as
          { rich_text?: RichText } | undefined;
        const render = MARKDOWN[block.type];
        if (render && body?.rich_text)
          lines.push(render(plain(body.rich_text), block as unknown as Record<string, unknown>));
      }
      cursor = children.next_cursor ?? undefined;
    } while (cursor && lines.length < MAX_SOURCE_ITEMS * 10);
    return {
      id: page.id,
      title: titleOf(page),
      url: page.url ?? null,
      lastEditedAt: page.last_edited_time ?? null,
      content: lines.join('\n\n'),
    };
  }

  async queryDatabase(idOrUrl: string): Promise<{ title: string; rows: DocRow[] }> {
    const id = notionId(idOrUrl);
    const database = await this.found(id, () => this.client.databases.retrieve({ database_id: id }));
    const source = 'data_sources' in database ? database.data_sources[0] : undefined;
    if (!source) throw new SourceNotFound(`notion: database ${id} has no data source`);
    const title = 'title' in database ? plain(database.title as RichText) : '';
    const rows: DocRow[] = [];
    let cursor: string | undefined;
    do {
      const answer = await this.client.dataSources.query({
        data_source_id: source.id,
        page_size: 100,
        ...(cursor ? { start_cursor: cursor } : {}),
      });
      for (const row of answer.results) if (isFullPage(row)) rows.push(rowOf(row));
      cursor = answer.next_cursor ?? undefined;
    } while (cursor && rows.length < MAX_SOURCE_ITEMS);
    return { title, rows: rows.slice(0, MAX_SOURCE_ITEMS) };
  }

  /** Notion's 404 (not there, or not shared with the integration) as the tool's "not found". */
  private async found<T>(id: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (isNotionClientError(err) && err.code === APIErrorCode.ObjectNotFound)
        throw new SourceNotFound(`notion: no page or database ${id} shared with Horizon's integration`);
      throw err;
    }
  }
}

/** The 32 hex digits of a Notion id, from a bare id (dashed or not) or a page's URL. */
export function notionId(idOrUrl: string): string {
  const path = /^https?:\/\//.test(idOrUrl) ? new URL(idOrUrl).pathname : idOrUrl;
  const hex = /([0-9a-f]{32})(?:[^0-9a-f]|$)/i.exec(path.replace(/-/g, ''))?.[1];
  if (!hex)
    throw new SourceNotFound(
      `notion: "${idOrUrl}" names no Notion page or database (32 hex digits, or its URL)`,
    );
  return hex.toLowerCase();
}

const plain = (text: RichText | undefined) => (text ?? []).map((t) => t.plain_text).join('');

function titleOf(page: Page): string {
  for (const property of Object.values(page.properties))
    if (property.type === 'title') return plain(property.title as RichText);
  return '';
}

function rowOf(page: Page): DocRow {
  const properties: Record<string, string> = {};
  for (const [name, property] of Object.entries(page.properties)) {
    if (property.type === 'rich_text') properties[name] = plain(property.rich_text as RichText);
    else if (property.type === 'select') properties[name] = property.select?.name ?? '';
    else if (property.type === 'status') properties[name] = property.status?.name ?? '';
    else if (property.type === 'number')
      properties[name] = property.number === null ? '' : String(property.number);
    else if (property.type === 'url') properties[name] = property.url ?? '';
  }
  return { id: page.id, title: titleOf(page), url: page.url ?? null, properties };
}
