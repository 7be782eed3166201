import type { PlanConflict, PlanDraftView } from '../../../src/shared/console-api';
import { ApiFailure } from '../api/client';

/** A write refused because someone else wrote first: what the draft is now. */
export class PlanConflictFailure extends ApiFailure {
  constructor(
    path: string,
    message: string,
    readonly current: PlanDraftView,
  ) {
    super(path, 409, message);
  }
}

/**
 * A plan write: JSON in and out, with the session's CSRF token. A 409 becomes
 * PlanConflictFailure carrying the current draft, so the page can show it instead of the edit.
 */
export async function sendPlan<T>(
  method: 'POST' | 'PATCH',
  path: string,
  csrfToken: string,
  body: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiFailure(path, 0, `the console backend did not answer (${(err as Error).message})`);
  }
  if (res.status === 204) return undefined as T;
  const answer = (await res.json().catch(() => null)) as (T & Partial<PlanConflict>) | null;
  if (res.ok && answer) return answer;
  if (res.status === 409 && answer?.current)
    throw new PlanConflictFailure(path, answer.message ?? 'changed meanwhile', answer.current);
  throw new ApiFailure(path, res.status, answer?.message ?? `${res.status} ${res.statusText || 'error'}`);
}
