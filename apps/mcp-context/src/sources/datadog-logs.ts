import { LogEntry } from '../domain/records';
import { LogQuery, LogSource, MAX_SOURCE_ITEMS } from './ports';

export interface DatadogLogsOptions {
  apiKey: string;
  appKey: string;
  /** `https://api.datadoghq.com` or the site's API host; tests point it at a stand-in. */
  apiUrl: string;
}

/** Datadog statuses at or above each of our levels. */
const STATUSES_FROM: Record<string, string[]> = {
  trace: [],
  debug: [],
  info: ['info', 'notice', 'warn', 'error', 'critical', 'alert', 'emergency'],
  warn: ['warn', 'error', 'critical', 'alert', 'emergency'],
  error: ['error', 'critical', 'alert', 'emergency'],
  fatal: ['critical', 'alert', 'emergency'],
};

interface SearchResponse {
  data?: {
    id: string;
    attributes?: {
      timestamp?: string;
      status?: string;
      service?: string;
      message?: string;
      attributes?: Record<string, unknown>;
    };
  }[];
  meta?: { page?: { after?: string } };
  errors?: string[];
}

/** Datadog Log Search (`POST /api/v2/logs/events/search`), newest first, following `meta.page.after`. */
export class DatadogLogs implements LogSource {
  readonly name = 'datadog';
  constructor(private readonly options: DatadogLogsOptions) {}

  async search(query: LogQuery): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    let cursor: string | undefined;
    do {
      const body = {
        filter: {
          query: datadogQuery(query),
          ...(query.since ? { from: query.since.toISOString() } : {}),
          ...(query.until ? { to: query.until.toISOString() } : {}),
        },
        sort: '-timestamp',
        page: { limit: Math.min(1000, MAX_SOURCE_ITEMS), ...(cursor ? { cursor } : {}) },
      };
      const res = await fetch(new URL('/api/v2/logs/events/search', this.options.apiUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'DD-API-KEY': this.options.apiKey,
          'DD-APPLICATION-KEY': this.options.appKey,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const page = (await res.json().catch(() => ({}))) as SearchResponse;
      if (!res.ok)
        throw new Error(
          `datadog: HTTP ${res.status}${page.errors?.length ? `: ${page.errors.join('; ')}` : ''}`,
        );
      for (const log of page.data ?? []) {
        const a = log.attributes ?? {};
        const attributes = a.attributes ?? {};
        entries.push({
          time: a.timestamp ?? null,
          level: a.status ?? 'info',
          service: a.service ?? null,
          runId: typeof attributes.runId === 'string' ? attributes.runId : null,
          message: a.message ?? '',
          attributes,
        });
      }
      cursor = page.meta?.page?.after;
    } while (cursor && entries.length < MAX_SOURCE_ITEMS);
    return entries.slice(0, MAX_SOURCE_ITEMS);
  }
}

/** Our query in Datadog's log search syntax: words as terms, the rest as facets. */
export function datadogQuery(query: LogQuery): string {
  const terms = (query.text ?? '').split(/\s+/).filter(Boolean).map(quote);
  const statuses = STATUSES_FROM[query.level ?? 'trace'] ?? [];
  if (statuses.length) terms.push(`status:(${statuses.join(' OR ')})`);
  if (query.service) terms.push(`service:${quote(query.service)}`);
  if (query.runId) terms.push(`@runId:${quote(query.runId)}`);
  return terms.join(' ') || '*';
}

function quote(word: string): string {
  return /^[\w.-]+$/.test(word) ? word : `"${word.replace(/["\\]/g, '\\$&')}"`;
}
