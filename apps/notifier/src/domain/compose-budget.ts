import { SLACK_BUDGET_ACTIONS, type DataOf, type workItemStateChanged } from '@horizon/contracts';
import type { Notification, Route } from './compose';

/**
 * What a "Continue" button grants: the run's allowance grows by all three, each counting where a
 * limit of its kind applies (the minutes where the run reached its wall time).
 */
export interface ContinueExtra {
  usd: number;
  tokens: number;
  minutes: number;
}

const tokens = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * An item waits at a budget: its owner is asked where the work came from — buttons in its Slack
 * thread (Continue with the configured extra, Continue with… one stated in a modal, or Stop), a
 * note on its Linear session and issue, a comment on its pull request — and the console shows it
 * with its own buttons. Every answer goes back through ingress (`POST /api/v1/work-items/:id/budget`,
 * `horizon budget`, the buttons and the modal).
 */
export function budgetQuestion(
  envelopeId: string,
  data: DataOf<typeof workItemStateChanged>,
  route: Route,
  extra: ContinueExtra,
): Notification[] {
  const more = `$${extra.usd.toFixed(2)}, ${tokens.format(extra.tokens)} tokens and ${extra.minutes} minutes`;
  const how =
    `Answer with \`horizon budget continue ${data.workItemId} --extra ${extra.usd}\` ` +
    `(\`--extra-minutes ${extra.minutes}\` for a run at its time limit) or ` +
    `\`horizon budget stop ${data.workItemId}\`, or in the Horizon console.`;
  const question = `Budget reached: ${data.cause}`;
  const stopping = 'Stop ends the run where it stands, its work saved on its branch.';
  const out: Notification[] = [];
  const thread = route.sourceRefs.slackThread;
  if (thread) {
    const value = (extraFields: Record<string, number>) =>
      JSON.stringify({ workItemId: data.workItemId, ...extraFields });
    out.push({
      channel: 'slack',
      target: { channel: thread.channel, threadTs: thread.threadTs },
      dedupeKey: `slack:budget:${envelopeId}`,
      title: 'Budget reached',
      body: `${data.cause}\nContinue with ${more} more, or stop? ${stopping}`,
      actions: [
        {
          actionId: SLACK_BUDGET_ACTIONS.continue,
          label: `Continue (+$${extra.usd})`,
          value: value({ extraUsd: extra.usd, extraTokens: extra.tokens, extraMinutes: extra.minutes }),
          style: 'primary',
        },
        // Opens a modal (ingress asks the notifier to, with the press's trigger_id) for an extra of one's own.
        { actionId: SLACK_BUDGET_ACTIONS.continueWith, label: 'Continue with…', value: value({}) },
        { actionId: SLACK_BUDGET_ACTIONS.stop, label: 'Stop', value: value({}), style: 'danger' },
      ],
    });
  }
  const session = route.sourceRefs.linearAgentSession;
  if (session)
    out.push({
      channel: 'linear',
      target: { agentSessionId: session.id },
      dedupeKey: `linear:session:budget:${envelopeId}`,
      title: '',
      body: `${question}\n\n${stopping} ${how}`,
      linearActivity: { type: 'thought' },
    });
  const issue = route.sourceRefs.trackerIssue;
  if (issue?.provider === 'linear')
    out.push({
      channel: 'linear',
      target: { issueId: issue.id },
      dedupeKey: `linear:issue:budget:${envelopeId}`,
      title: 'Budget reached',
      body: `${data.cause}\n\n${stopping} ${how}`,
    });
  const pr = route.sourceRefs.pullRequest;
  if (pr && data.runId)
    out.push({
      channel: 'github',
      target: {
        forge: pr.provider,
        repo: `${pr.repo.owner}/${pr.repo.name}`,
        runId: data.runId,
        number: String(pr.number),
      },
      dedupeKey: `github:budget:${envelopeId}`,
      title: 'Horizon is waiting at a budget',
      body: `${data.cause}\n\n${stopping} ${how}`,
    });
  return out;
}
