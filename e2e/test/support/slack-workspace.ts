import { slackDelivery } from '@horizon/testing';
import type { SlackStandin } from '@horizon/testing';

/** What ingress answered one delivery with. */
export interface IngressAnswer {
  status: number;
  body: { status?: string; id?: string; error?: string };
}

/** One Events API callback, as Slack wraps every event it delivers. */
export type SlackEventCallback = Record<string, unknown> & { event_id: string };

/** A message a person wrote, and the callback that told ingress about it (to replay it). */
export interface PostedMessage {
  ts: string;
  text: string;
  callback: SlackEventCallback;
}

/**
 * People talking in the Slack stand-in's workspace, as the Events API tells a Slack app about
 * it: each message is written to the stand-in (so the bot's thread replies have a root to hang
 * on) and then delivered to ingress as a signed `event_callback`, shaped like the fixtures in
 * libs/testing/fixtures/slack.
 */
export class SlackWorkspace {
  private seq = 0;

  constructor(
    private readonly slack: SlackStandin,
    private readonly options: {
      ingressUrl: string;
      signingSecret: string;
      teamId: string;
      botUserId: string;
    },
  ) {}

  /** A top-level message that mentions the bot. */
  async mention(channel: string, user: string, text: string): Promise<PostedMessage> {
    const body = `<@${this.options.botUserId}> ${text}`;
    const ts = this.slack.addUserMessage(channel, body);
    const callback = this.callback({ type: 'app_mention', user, text: body, ts, channel, event_ts: ts });
    await this.expectAccepted(callback);
    return { ts, text: body, callback };
  }

  /** A reply in a thread that does not mention the bot. */
  async reply(channel: string, user: string, threadTs: string, text: string): Promise<PostedMessage> {
    const ts = this.slack.addUserMessage(channel, text, threadTs);
    const callback = this.callback({
      type: 'message',
      channel,
      user,
      text,
      ts,
      thread_ts: threadTs,
      parent_user_id: user,
      event_ts: ts,
      channel_type: 'channel',
    });
    await this.expectAccepted(callback);
    return { ts, text, callback };
  }

  /** Delivers a callback, signed now (a replay is signed afresh, as Slack's retries are). */
  async deliver(callback: SlackEventCallback, headers: Record<string, string> = {}): Promise<IngressAnswer> {
    const signed = slackDelivery(callback, this.options.signingSecret);
    const res = await fetch(`${this.options.ingressUrl}/webhooks/slack/events`, {
      method: 'POST',
      headers: { ...signed.headers, ...headers },
      body: signed.rawBody,
    });
    return { status: res.status, body: (await res.json()) as IngressAnswer['body'] };
  }

  private async expectAccepted(callback: SlackEventCallback): Promise<void> {
    const answer = await this.deliver(callback);
    if (answer.status !== 200 || answer.body.status !== 'accepted')
      throw new Error(`ingress did not accept ${callback.event_id}: ${JSON.stringify(answer)}`);
  }

  private callback(event: Record<string, unknown> & { ts: string }): SlackEventCallback {
    const { teamId, botUserId } = this.options;
    return {
      token: 'unused-verification-token',
      team_id: teamId,
      api_app_id: 'A0HORIZON',
      event,
      type: 'event_callback',
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      event_context: `EC${++this.seq}`,
      event_id: `Ev${Date.now().toString(36).toUpperCase()}${this.seq}`,
      event_time: Math.floor(Number(event.ts)),
    };
  }
}
