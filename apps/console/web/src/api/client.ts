import type { ApiError } from '../../../src/shared/console-api';

/** A request the API refused or that never reached it, with what to tell the person. */
export class ApiFailure extends Error {
  constructor(
    readonly path: string,
    /** 0 when the request never got an answer (backend down, network gone). */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

async function failureFrom(path: string, res: Response): Promise<ApiFailure> {
  // The backend answers every error as ApiError; a proxy or a crash may answer anything else.
  const body = (await res.json().catch(() => null)) as Partial<ApiError> | null;
  const message = body?.message ?? `${res.status} ${res.statusText || 'error'}`;
  return new ApiFailure(path, res.status, message);
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (err) {
    throw new ApiFailure(path, 0, `the console backend did not answer (${(err as Error).message})`);
  }
  if (!res.ok) throw await failureFrom(path, res);
  return res;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await send(path, { headers: { accept: 'application/json' }, signal });
  return (await res.json()) as T;
}

/** Every mutation echoes the session's CSRF token; the cookie alone is not enough. */
export async function post(path: string, csrfToken: string, body?: unknown): Promise<void> {
  await send(path, {
    method: 'POST',
    headers: {
      'x-csrf-token': csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A mutation whose answer the page needs (an invitation's link). */
export async function postJson<T>(path: string, csrfToken: string, body: unknown): Promise<T> {
  const res = await send(path, {
    method: 'POST',
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}
