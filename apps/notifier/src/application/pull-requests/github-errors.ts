/** What a failed GitHub call means for the command that made it. */
export type GitHubFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; message: string }
  /** 401/403/404: credentials, permissions or the repository are wrong; no retry fixes that. */
  | { kind: 'refused'; status: number; message: string }
  /** 422: GitHub declined the request as made (a PR already open, a reviewer it will not accept). */
  | { kind: 'unprocessable'; message: string }
  | { kind: 'transient'; message: string };

interface HttpErrorShape {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Classifies an Octokit `RequestError` (anything else is transient). Rate limits follow GitHub's
 * rules: `retry-after` seconds when sent (secondary limits), else the `x-ratelimit-reset` epoch
 * when `x-ratelimit-remaining` is 0 (primary limits), else a minute.
 */
export function classifyGitHubError(err: unknown, now = Date.now()): GitHubFailure {
  const e = (err ?? {}) as HttpErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = describe(e);
  if (status === undefined) return { kind: 'transient', message };
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  const remaining = headers['x-ratelimit-remaining'];
  const reset = Number(headers['x-ratelimit-reset']);
  const limited =
    status === 429 ||
    (status === 403 &&
      (Number.isFinite(retryAfter) || String(remaining) === '0' || /rate limit/i.test(message)));
  if (limited) {
    const retryAfterMs = Number.isFinite(retryAfter)
      ? retryAfter * 1000
      : String(remaining) === '0' && Number.isFinite(reset)
        ? Math.max(reset * 1000 - now, 1000)
        : DEFAULT_RATE_LIMIT_WAIT_MS;
    return { kind: 'rate_limited', retryAfterMs, message };
  }
  if (status === 401 || status === 403 || status === 404) return { kind: 'refused', status, message };
  if (status === 422) return { kind: 'unprocessable', message };
  return { kind: 'transient', message };
}

/** GitHub's own message and the `errors` it listed (where "A pull request already exists" lives). */
function describe(e: HttpErrorShape): string {
  const data = e.response?.data as
    { message?: unknown; errors?: { message?: string; code?: string }[] } | undefined;
  const base = typeof data?.message === 'string' ? data.message : String(e.message ?? 'unknown error');
  const details = (Array.isArray(data?.errors) ? data.errors : [])
    .map((x) => x.message ?? x.code)
    .filter(Boolean);
  return details.length ? `${base}: ${details.join('; ')}` : base;
}
