import type { ModalView } from '@slack/web-api';
import { ChatCallError } from './chat-port';
import { slackCall, slackWebClient, type SlackChatOptions } from './slack-chat';

/** Modals opened for a person who pressed a button (`views.open`). */
export interface SlackViews {
  /**
   * Opens `view` with the `trigger_id` of the interaction that asked for it, which Slack honours
   * once and for 3 seconds: its refusals (`expired_trigger_id`…) are `ChatCallError`s.
   */
  open(triggerId: string, view: ModalView): Promise<{ viewId: string }>;
}

export function createSlackViews(options: SlackChatOptions): SlackViews {
  // Slack honours the trigger id for 3 seconds: an answer later than that cannot open anything.
  const client = slackWebClient({ timeoutMs: 3000, ...options });
  return {
    async open(triggerId, view) {
      const res = await slackCall(() => client.views.open({ trigger_id: triggerId, view }));
      if (!res.view?.id)
        throw new ChatCallError('invalid_response', false, 'views.open answered without a view id');
      return { viewId: res.view.id };
    },
  };
}
