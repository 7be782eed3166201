import { createHash } from 'node:crypto';
import type { ChatPort } from '@horizon/integrations-slack';
import type { AgentActivityContent, TrackerPort } from '@horizon/integrations-linear';
import type { Notification } from '../domain/compose';
import type { ConsoleStream } from '../http/console-stream';

/** What a sender is told about the attempt it makes. */
export interface Attempt {
  attempts: number;
  /** The message an earlier delivery with the same update key posted, to edit in place. */
  updateTarget?: string;
}

/** Posts one notification to one channel; returns the id the channel gave the message. */
export interface ChannelSender {
  send(n: Notification, attempt: Attempt): Promise<string | null>;
}

/** A UUID (v4 layout) derived from the dedupe key: the same message always carries the same id. */
export function idFor(dedupeKey: string): string {
  const h = createHash('sha256').update(dedupeKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const METADATA_EVENT = 'horizon_delivery';

/**
 * Slack: a status message (update key) is posted once and then edited with `chat.update`; every
 * post carries its dedupe key as message metadata, so a retry after a crash between post and
 * record finds the message in the thread instead of posting it again.
 */
export function slackSender(chat: ChatPort): ChannelSender {
  return {
    async send(n, attempt) {
      const channel = n.target.channel;
      if (!channel) throw new Error('slack target needs channel');
      const threadTs = n.target.threadTs;
      const text = n.title ? `*${n.title}*\n${n.body}` : n.body;
      let existing = attempt.updateTarget;
      if (!existing && attempt.attempts > 1 && threadTs) {
        const thread = await chat.readThread(channel, threadTs);
        const mine = thread.find(
          (m) =>
            m.metadata?.eventType === METADATA_EVENT &&
            (m.metadata.payload.dedupeKey === n.dedupeKey ||
              (n.updateKey && m.metadata.payload.updateKey === n.updateKey)),
        );
        if (mine?.metadata?.payload.dedupeKey === n.dedupeKey) return mine.ts;
        existing = mine?.ts;
      }
      if (existing) {
        await chat.update({ channel, ts: existing, text });
        return existing;
      }
      const payload: Record<string, string> = {
        dedupeKey: n.dedupeKey,
        ...(n.updateKey ? { updateKey: n.updateKey } : {}),
      };
      const posted = await chat.post({
        channel,
        threadTs,
        text,
        ...(n.actions?.length ? { buttons: n.actions } : {}),
        metadata: { eventType: METADATA_EVENT, payload },
      });
      return posted.ts;
    },
  };
}

function activityContent(n: Notification): AgentActivityContent {
  const a = n.linearActivity ?? { type: 'response' as const };
  if (a.type === 'action')
    return {
      type: 'action',
      action: a.action ?? n.title,
      parameter: a.parameter ?? n.body,
      ...(a.result ? { result: a.result } : {}),
    };
  return { type: a.type, body: n.title ? `**${n.title}**\n\n${n.body}` : n.body };
}

/**
 * Linear: agent activities and comments are created with an id derived from the dedupe key;
 * a retry first asks whether that id exists, so a crash between create and record adds nothing twice.
 */
export function linearSender(tracker: TrackerPort): ChannelSender {
  return {
    async send(n, attempt) {
      const id = idFor(n.dedupeKey);
      const retrying = attempt.attempts > 1;
      if (n.target.agentSessionId) {
        if (!(retrying && (await tracker.agentActivityExists(id))))
          await tracker.createAgentActivity({
            id,
            agentSessionId: n.target.agentSessionId,
            content: activityContent(n),
          });
        return id;
      }
      const issueId = n.target.issueId;
      if (!issueId) throw new Error('linear target needs issueId or agentSessionId');
      if (!(retrying && (await tracker.commentExists(id))))
        await tracker.createComment({ id, issueId, body: n.title ? `**${n.title}**\n\n${n.body}` : n.body });
      if (n.completeIssue) await tracker.completeIssue(issueId);
      return id;
    },
  };
}

export function consoleSender(stream: ConsoleStream): ChannelSender {
  return {
    async send(n) {
      return stream.publish({
        dedupeKey: n.dedupeKey,
        title: n.title,
        body: n.body,
        target: n.target,
        updateKey: n.updateKey ?? null,
      });
    },
  };
}
