import { z } from 'zod';
import { defineContract } from './contract';

export const notifyChannels = ['slack', 'linear', 'github', 'console'] as const;
export const notifyChannelSchema = z.enum(notifyChannels);
export type NotifyChannel = z.infer<typeof notifyChannelSchema>;

/** The kinds of activity a Linear agent session shows (Linear's Agents API content types). */
export const linearActivityTypes = ['thought', 'action', 'response', 'error'] as const;
export const linearActivitySchema = z.object({
  type: z.enum(linearActivityTypes),
  /** For `action`: what the agent does ("Creating issues") and on what ("3 issues"). */
  action: z.string().optional(),
  parameter: z.string().optional(),
  result: z.string().optional(),
});
export type LinearActivity = z.infer<typeof linearActivitySchema>;

/**
 * Where a message goes, by channel:
 * - slack: `channel`, `threadTs` (the thread to answer in)
 * - linear: `issueId` (a comment) or `agentSessionId` (an agent activity)
 * - github: `forge` (`github` | `local`), `repo` (`owner/name`), `runId` (whose token), and
 *   `number` (a PR comment) or, with `checkRun`, nothing more (a check run on `checkRun.headSha`)
 * - console: `stream` (optional; default all)
 */
export const notifyTargetSchema = z.record(z.string(), z.string());

/** A message for one channel; the notifier owns delivery, retries and de-duplication. */
export const notifyDeliver = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.notify.deliver',
  version: 1,
  description:
    'Deliver one message to one channel (Slack thread, Linear issue or session, GitHub PR, console).',
  data: z.object({
    channel: notifyChannelSchema,
    target: notifyTargetSchema,
    /** Same key, same message: a redelivered command never posts twice. */
    dedupeKey: z.string().min(1),
    title: z.string(),
    body: z.string(),
    /**
     * Slack: buttons under the message (a block_actions interaction comes back to ingress when
     * one is pressed); elsewhere the body says how to answer instead.
     */
    actions: z
      .array(
        z.object({
          actionId: z.string().min(1).max(255),
          label: z.string().min(1).max(75),
          value: z.string().max(2000),
          style: z.enum(['primary', 'danger']).optional(),
        }),
      )
      .max(5)
      .optional(),
    /** Set to update one message in place (a Slack status message, a check run). */
    updateKey: z.string().optional(),
    /** Linear with `agentSessionId`: the activity to add to the session (default `response`). */
    linearActivity: linearActivitySchema.optional(),
    /** Linear with `issueId`: also move the issue to its team's completed state (on merge). */
    completeIssue: z.boolean().optional(),
    /**
     * GitHub: a check run named `title` on this commit, concluded from the verification results,
     * or, when `conclusion` is set, with that conclusion and `body` as its summary.
     */
    checkRun: z
      .object({
        headSha: z.string().min(1),
        results: z.array(
          z.object({ command: z.string(), exitCode: z.number().int(), durationMs: z.number().int() }),
        ),
        conclusion: z.enum(['success', 'neutral', 'failure']).optional(),
      })
      .optional(),
    /**
     * GitHub with `number`: one pull-request review (`body` its text) on `commitId` with these
     * inline comments, instead of a comment.
     */
    review: z
      .object({
        commitId: z.string().min(1),
        event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']),
        comments: z.array(
          z.object({ path: z.string().min(1), line: z.number().int().positive(), body: z.string() }),
        ),
      })
      .optional(),
  }),
});
export type NotifyDeliverData = z.infer<typeof notifyDeliver.data>;

export const notifyContracts = [notifyDeliver] as const;
