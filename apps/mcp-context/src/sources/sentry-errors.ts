import { ErrorGroup } from '../domain/records';
import { ErrorQuery, ErrorSource, MAX_SOURCE_ITEMS } from './ports';

export interface SentryErrorsOptions {
  token: string;
  org: string;
  /** `https://sentry.io` or a self-hosted Sentry; tests point it at a stand-in. */
  url: string;
}

interface SentryIssue {
  id: string;
  title: string;
  culprit?: string | null;
  level?: string;
  count?: string | number;
  firstSeen?: string | null;
  lastSeen?: string | null;
  permalink?: string | null;
  project?: { slug?: string };
  metadata?: { type?: string; value?: string; filename?: string; function?: string };
}

/**
 * Sentry issues of one organization (`GET /api/0/organizations/{org}/issues/`), most recently
 * seen first, following the `Link` header's next cursor while it says `results="true"`.
 */
export class SentryErrors implements ErrorSource {
  readonly name = 'sentry';
  constructor(private readonly options: SentryErrorsOptions) {}

  async search(query: ErrorQuery): Promise<ErrorGroup[]> {
    const url = new URL(
      `/api/0/organizations/${encodeURIComponent(this.options.org)}/issues/`,
      this.options.url,
    );
    url.searchParams.set('query', query.text ?? '');
    url.searchParams.set('sort', 'date');
    url.searchParams.set('limit', '100');
    if (query.since) url.searchParams.set('start', query.since.toISOString());
    if (query.until) url.searchParams.set('end', query.until.toISOString());
    const groups: ErrorGroup[] = [];
    let next: string | undefined = url.toString();
    while (next && groups.length < MAX_SOURCE_ITEMS) {
      const res = await fetch(next, {
        headers: { authorization: `Bearer ${this.options.token}` },
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`sentry: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
      for (const issue of (await res.json()) as SentryIssue[]) {
        if (query.service && issue.project?.slug !== query.service) continue;
        groups.push({
          id: issue.id,
          title: issue.title,
          level: issue.level ?? 'error',
          service: issue.project?.slug ?? null,
          count: Number(issue.count ?? 0),
          firstSeen: issue.firstSeen ?? null,
          lastSeen: issue.lastSeen ?? null,
          url: issue.permalink ?? null,
          detail: [
            issue.culprit,
            issue.metadata?.type && `${issue.metadata.type}: ${issue.metadata.value ?? ''}`,
            issue.metadata?.filename,
          ]
            .filter(Boolean)
            .join('\n'),
        });
      }
      next = nextLink(res.headers.get('link'));
    }
    return groups.slice(0, MAX_SOURCE_ITEMS);
  }
}

/** Sentry's pagination: `<url>; rel="next"; results="true"; cursor="…"`. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const url = /<([^>]+)>/.exec(part)?.[1];
    if (url && /rel="next"/.test(part) && /results="true"/.test(part)) return url;
  }
  return undefined;
}
