import type { DataOf, runFinished, workItemStateChanged } from '@horizon/contracts';
import type { Notification, Route } from '../../domain/compose';

type StateChanged = DataOf<typeof workItemStateChanged>;

/**
 * A work item started by itself: its last blocker merged and the automation policy let it start
 * (`blocked → queued`, the only way out of `blocked` into work). Nobody pressed a button, so its
 * owner is told.
 */
export function startedByItself(data: Pick<StateChanged, 'from' | 'to'>): boolean {
  return data.from === 'blocked' && data.to === 'queued';
}

/**
 * The blocker the orchestrator names in the cause (`blocker <title> merged; …`, or its id when
 * it had no title to hand), if it does.
 */
export function mergedBlockerOf(cause: string): string | undefined {
  return /^blocker (.+?) merged;/.exec(cause)?.[1];
}

export const isWorkItemId = (name: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name);

/**
 * The direct message to the owner's Slack user (`chat.postMessage` to a `U…` id opens the app's
 * DM with them), keyed by the state change: a redelivered event never tells them twice.
 */
export function startedNotice(
  envelopeId: string,
  data: StateChanged,
  route: Route,
  slackUserId: string,
  blockerTitle: string | undefined,
): Notification {
  const title = route.title ?? 'A work item';
  const why = blockerTitle
    ? `its last blocker, *${blockerTitle}*, merged`
    : `its last blocker merged (${data.cause})`;
  const where = route.sourceRefs.slackThread ? '\nUpdates follow in its thread.' : '';
  return {
    channel: 'slack',
    target: { channel: slackUserId },
    dedupeKey: `slack:owner:${envelopeId}`,
    title: '',
    body: `:arrow_forward: *${title}* started by itself: ${why}.${where}`,
  };
}

/**
 * A run on a pull request (a revision, a CI fix, a rebase) ended without pushing: the PR waits
 * for a person, so its owner is told where it is and why, keyed by the run.
 */
export function handedBack(data: Pick<DataOf<typeof runFinished>, 'outcome'>, route: Route): boolean {
  return data.outcome !== 'succeeded' && route.sourceRefs.pullRequest !== undefined;
}

export function handedBackNotice(
  data: DataOf<typeof runFinished>,
  route: Route,
  slackUserId: string,
): Notification {
  const pr = route.sourceRefs.pullRequest!;
  const link = pr.url ? `<${pr.url}|#${pr.number}>` : `#${pr.number}`;
  const why = data.reason ? `: ${data.reason}` : '';
  return {
    channel: 'slack',
    target: { channel: slackUserId },
    dedupeKey: `slack:owner:handed-back:${data.runId}`,
    title: '',
    body: `:raised_hand: *${route.title ?? 'A work item'}* needs you: Horizon's run on ${pr.repo.owner}/${pr.repo.name} ${link} ended ${data.outcome}${why}. Nothing was pushed; the pull request is yours to take from here.`,
  };
}
