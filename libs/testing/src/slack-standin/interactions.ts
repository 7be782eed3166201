import { slackInteraction } from '../fixtures';
import type { OpenedView } from './views';

/** The app's Interactivity settings: where Slack posts interactions, signed with its secret. */
export interface SlackAppInteractivity {
  requestUrl: string;
  signingSecret: string;
}

/** How a modal submission ended, as the person sees it. */
export type SubmissionOutcome =
  /** An empty 200: Slack closes the modal. */
  | { outcome: 'closed' }
  /** `response_action: errors`: each shown under its input block, the modal stays open. */
  | { outcome: 'errors'; errors: Record<string, string> }
  /** Anything else: Slack shows "We had some trouble connecting" and keeps the modal. */
  | { outcome: 'failed'; reason: string };

/** Slack waits this long for the app's answer to an interaction, then gives up on it. */
const ANSWER_WITHIN_MS = 3000;

/** Posts an interaction as Slack does: `payload=<JSON>` form-encoded, signed now, 3 s to answer. */
export async function sendInteraction(
  app: SlackAppInteractivity,
  payload: unknown,
): Promise<{ status: number; body: string }> {
  const signed = slackInteraction(payload, app.signingSecret);
  const res = await fetch(app.requestUrl, {
    method: 'POST',
    headers: signed.headers,
    body: signed.rawBody,
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

/**
 * What Slack makes of the answer to a `view_submission`: only an empty 200 closes the modal, and
 * errors must name input blocks of the view (Slack refuses others).
 */
export function readSubmissionAnswer(
  view: OpenedView,
  answer: { status: number; body: string },
): SubmissionOutcome {
  if (answer.status !== 200) return { outcome: 'failed', reason: `the app answered HTTP ${answer.status}` };
  if (answer.body === '') return { outcome: 'closed' };
  let parsed: { response_action?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return { outcome: 'failed', reason: 'the answer is neither empty nor JSON' };
  }
  if (parsed.response_action !== 'errors' || typeof parsed.errors !== 'object' || parsed.errors === null)
    return { outcome: 'failed', reason: `not a response_action the stand-in models: ${answer.body}` };
  const inputs = new Set(view.view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id));
  const errors = parsed.errors as Record<string, unknown>;
  const unknown = Object.keys(errors).filter((id) => !inputs.has(id) || typeof errors[id] !== 'string');
  if (unknown.length || Object.keys(errors).length === 0)
    return {
      outcome: 'failed',
      reason: `errors not keyed by the view's input blocks: ${unknown.join(', ')}`,
    };
  return { outcome: 'errors', errors: errors as Record<string, string> };
}
