import { CliError, exitForStatus, unreachable } from '../exit';

/** One JSON request to a Horizon service; failures become exit codes (docs/cli.md). */
export async function requestJson<T>(service: string, url: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw unreachable(service, url, err);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  if (!res.ok) {
    const b = body as { message?: string; error?: string; issues?: unknown };
    const detail = b?.message ?? b?.error ?? (typeof body === 'string' ? body : JSON.stringify(body));
    throw new CliError(
      exitForStatus(res.status),
      `${service}: ${res.status} ${detail}${b?.issues ? ` ${JSON.stringify(b.issues)}` : ''}`,
    );
  }
  return body as T;
}
