import type { DataOf, NotifyDeliverData, SourceRefs, WorkItemState } from '@horizon/contracts';
import type { runFinished, runProgress, workItemCreated, workItemStateChanged } from '@horizon/contracts';
import { budgetQuestion, type ContinueExtra } from './compose-budget';
import { onRunFinishedOnPullRequest } from './compose-github';

/** What the budget question's Continue button grants unless the notifier is configured otherwise. */
export const defaultContinueExtra: ContinueExtra = { usd: 2, tokens: 200_000, minutes: 15 };

/**
 * Turns lifecycle facts into channel messages (pure: no I/O). Each work item reports where it
 * came from (its source refs): one Slack status message per item, updated in place, then a
 * final message with the PR; Linear comments and agent-session activities; the console gets
 * everything, verbosely. Dedupe keys name the fact, so the same fact never posts twice.
 */
export interface Route {
  workItemId: string;
  title: string | null;
  sourceRefs: SourceRefs;
  lastRun: RunSummary | null;
  /** The owner's identity id, from `workitem.created` (null when it has none or was not seen). */
  ownerId: string | null;
}

export interface RunSummary {
  outcome: string;
  durationMs: number;
  verification: { command: string; exitCode: number }[];
  reason: string | null;
}

export type Notification = NotifyDeliverData;

const STATE_EMOJI: Partial<Record<WorkItemState, string>> = {
  received: ':inbox_tray:',
  planned: ':spiral_note_pad:',
  queued: ':hourglass_flowing_sand:',
  provisioning: ':package:',
  running: ':gear:',
  verifying: ':mag:',
  in_review: ':eyes:',
  revising: ':pencil2:',
  merged: ':tada:',
  done: ':white_check_mark:',
  blocked: ':no_entry:',
  failed: ':x:',
  cancelled: ':heavy_multiplication_x:',
  timed_out: ':alarm_clock:',
  waiting: ':raised_hand:',
};
const FAILED: WorkItemState[] = ['failed', 'timed_out', 'cancelled'];

export const statusKey = (workItemId: string) => `status:${workItemId}`;

function slackStatus(route: Route, dedupeKey: string, line: string): Notification[] {
  const thread = route.sourceRefs.slackThread;
  if (!thread) return [];
  return [
    {
      channel: 'slack',
      target: { channel: thread.channel, threadTs: thread.threadTs },
      dedupeKey,
      updateKey: statusKey(route.workItemId),
      title: '',
      body: line,
    },
  ];
}

function linearSession(
  route: Route,
  dedupeKey: string,
  activity: NonNullable<Notification['linearActivity']>,
  body: string,
): Notification[] {
  const session = route.sourceRefs.linearAgentSession;
  if (!session) return [];
  return [
    {
      channel: 'linear',
      target: { agentSessionId: session.id },
      dedupeKey: `linear:session:${dedupeKey}`,
      title: '',
      body,
      linearActivity: activity,
    },
  ];
}

function linearIssue(
  route: Route,
  dedupeKey: string,
  title: string,
  body: string,
  completeIssue = false,
): Notification[] {
  const issue = route.sourceRefs.trackerIssue;
  if (issue?.provider !== 'linear') return [];
  return [
    {
      channel: 'linear',
      target: { issueId: issue.id },
      dedupeKey: `linear:issue:${dedupeKey}`,
      title,
      body,
      ...(completeIssue ? { completeIssue } : {}),
    },
  ];
}

function consoleMessage(route: Route, dedupeKey: string, title: string, body: string): Notification {
  return { channel: 'console', target: { workItemId: route.workItemId }, dedupeKey, title, body };
}

export function summaryLines(run: RunSummary | null): string[] {
  if (!run) return [];
  const lines = [`Run ${run.outcome} in ${Math.round(run.durationMs / 1000)} s`];
  lines.push(...verificationLines(run.verification));
  if (run.reason) lines.push(`Reason: ${run.reason}`);
  return lines;
}

export function verificationLines(verification: RunSummary['verification']): string[] {
  if (!verification.length) return [];
  const passed = verification.filter((v) => v.exitCode === 0).length;
  return [`Verification: ${passed}/${verification.length} passed`];
}

export function onWorkItemCreated(
  envelopeId: string,
  data: DataOf<typeof workItemCreated>,
  route: Route,
): Notification[] {
  return [
    ...slackStatus(
      route,
      `slack:${envelopeId}`,
      `${STATE_EMOJI[data.state] ?? ''} *${data.state}* · ${data.title}`,
    ),
    ...linearSession(
      route,
      envelopeId,
      { type: 'thought' },
      `Received **${data.title}** for \`${data.repo}\`; a ${data.kind} run will follow.`,
    ),
    consoleMessage(
      route,
      `console:${envelopeId}`,
      `Work item created: ${data.title}`,
      `**Kind:** ${data.kind}  \n**Repository:** ${data.repo}  \n**State:** ${data.state}`,
    ),
  ];
}

export function onStateChanged(
  envelopeId: string,
  data: DataOf<typeof workItemStateChanged>,
  route: Route,
  continueExtra: ContinueExtra = defaultContinueExtra,
): Notification[] {
  const pr = data.sourceRefs.pullRequest;
  const prLink =
    pr?.url ?? (pr ? `https://github.com/${pr.repo.owner}/${pr.repo.name}/pull/${pr.number}` : undefined);
  const prName = pr ? `${pr.repo.owner}/${pr.repo.name}#${pr.number}` : '';
  const title = route.title ?? 'work item';
  const out: Notification[] = [
    ...slackStatus(
      route,
      `slack:${envelopeId}`,
      `${STATE_EMOJI[data.to] ?? ''} *${data.to.replace('_', ' ')}* · ${data.cause}`,
    ),
    consoleMessage(
      route,
      `console:${envelopeId}`,
      `${title}: ${data.from} → ${data.to}`,
      [
        `**Cause:** ${data.cause}`,
        data.runId ? `**Run:** ${data.runId}` : '',
        prLink ? `**Pull request:** ${prLink}` : '',
      ]
        .filter(Boolean)
        .join('  \n'),
    ),
  ];
  if (data.to === 'waiting') {
    out.push(...budgetQuestion(envelopeId, data, route, continueExtra));
  } else if (data.to === 'in_review' && pr && prLink) {
    out.push(
      ...pullRequestMessages(
        route,
        { name: prName, url: prLink, number: pr.number },
        summaryLines(route.lastRun),
        envelopeId,
      ),
    );
  } else if (data.to === 'merged' || data.to === 'done') {
    const body = prLink ? `Merged in [${prName}](${prLink}).` : `Completed: ${data.cause}.`;
    out.push(...linearIssue(route, `complete:${data.workItemId}`, 'Completed', body, true));
  } else if (FAILED.includes(data.to)) {
    out.push(
      ...linearIssue(
        route,
        envelopeId,
        `Run ${data.to.replace('_', ' ')}`,
        [`**Cause:** ${data.cause}`, ...summaryLines(route.lastRun).map((l) => `- ${l}`)].join('\n'),
      ),
    );
    out.push(
      ...linearSession(
        route,
        envelopeId,
        { type: 'error' },
        `The work item is ${data.to.replace('_', ' ')}: ${data.cause}`,
      ),
    );
  } else {
    out.push(
      ...linearSession(
        route,
        envelopeId,
        { type: 'thought' },
        `Now **${data.to.replace('_', ' ')}**: ${data.cause}`,
      ),
    );
  }
  return out;
}

interface OpenedPullRequest {
  /** `owner/name#number`. */
  name: string;
  url: string;
  number: number;
}

/**
 * The PR is ready for review: a final message in the Slack thread, a comment on the Linear issue
 * (both keyed by the PR, so they are posted once) and a `response` on the agent session.
 */
function pullRequestMessages(
  route: Route,
  pr: OpenedPullRequest,
  summary: string[],
  sessionKey: string,
): Notification[] {
  const out: Notification[] = [];
  const thread = route.sourceRefs.slackThread;
  if (thread) {
    out.push({
      channel: 'slack',
      target: { channel: thread.channel, threadTs: thread.threadTs },
      dedupeKey: `slack:final:${route.workItemId}:${pr.number}`,
      title: '',
      body: [
        `:white_check_mark: Pull request ready for review: <${pr.url}|${pr.name}>`,
        ...summary.map((l) => `• ${l}`),
      ].join('\n'),
    });
  }
  out.push(
    ...linearIssue(
      route,
      `pr:${route.workItemId}:${pr.number}`,
      'Pull request opened',
      [`Horizon opened [${pr.name}](${pr.url}) for review.`, '', ...summary.map((l) => `- ${l}`)].join('\n'),
    ),
    ...linearSession(
      route,
      sessionKey,
      { type: 'response' },
      [`Opened [${pr.name}](${pr.url}) for review.`, ...summary.map((l) => `- ${l}`)].join('\n'),
    ),
  );
  return out;
}

/**
 * The notifier opened a run's PR. The item reached `in_review` when its run finished, before the
 * PR existed, so this is where the PR is announced. `summary` describes the run that made it.
 */
export function onPullRequestOpened(
  route: Route,
  pr: { repo: string; number: number; url: string },
  summary: string[],
): Notification[] {
  return pullRequestMessages(
    route,
    { name: `${pr.repo}#${pr.number}`, url: pr.url, number: pr.number },
    summary,
    `pr:${route.workItemId}:${pr.number}`,
  );
}

export function onRunProgress(data: DataOf<typeof runProgress>, route: Route): Notification[] {
  const key = `${data.runId}:${data.seq}`;
  return [
    ...slackStatus(route, `slack:progress:${key}`, `:gear: *${data.phase}* · ${data.summary}`),
    ...linearSession(
      route,
      `progress:${key}`,
      { type: 'action', action: data.phase, parameter: data.summary },
      data.summary,
    ),
    consoleMessage(
      route,
      `console:progress:${key}`,
      `${route.title ?? 'run'} · ${data.phase}`,
      `**${data.kind}:** ${data.summary}`,
    ),
  ];
}

/** `browserCheck`: the run's browser check for its PR comment (markdown), when it had one. */
export function onRunFinished(
  data: DataOf<typeof runFinished>,
  route: Route,
  browserCheck?: string,
): Notification[] {
  const lines = summaryLines(route.lastRun);
  const emoji = data.outcome === 'succeeded' ? ':white_check_mark:' : ':x:';
  return [
    ...slackStatus(
      route,
      `slack:finished:${data.runId}`,
      `${emoji} *run ${data.outcome}* · ${lines[0] ?? ''}`,
    ),
    consoleMessage(
      route,
      `console:finished:${data.runId}`,
      `${route.title ?? 'run'}: run ${data.outcome}`,
      [
        ...lines,
        ...data.verification.map((v) => `- \`${v.command}\` → exit ${v.exitCode} (${v.durationMs} ms)`),
        ...data.frictionNotes.map((n) => `- friction: ${n}`),
      ].join('\n'),
    ),
    ...onRunFinishedOnPullRequest(data, route, browserCheck),
  ];
}
