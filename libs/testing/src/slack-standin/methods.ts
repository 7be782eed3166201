import type {
  ChatPostMessageArguments,
  ChatUpdateArguments,
  ConversationsRepliesArguments,
  ViewsOpenArguments,
} from '@slack/web-api';

/** A refusal in Slack's shape: `{ ok: false, error, response_metadata: { messages } }`. */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly messages: string[] = [],
  ) {
    super(error);
  }
}

/** The kinds a Web API argument arrives as (form fields are strings; JSON bodies keep types). */
export type ArgKind = 'string' | 'boolean' | 'integer' | 'json-object' | 'json-array';

type KeysOf<T> = T extends unknown ? keyof T : never;

/**
 * One method's arguments as Slack documents them. Keys are typed against `@slack/web-api`'s
 * argument types, so an argument Slack renamed or dropped fails the typecheck here.
 */
export interface MethodSpec<TArgs> {
  types: { [K in Exclude<KeysOf<TArgs>, 'token'> & string]?: ArgKind };
  required: (Exclude<KeysOf<TArgs>, 'token'> & string)[];
  /** At least one of these must be present (message content), else Slack's `no_text`. */
  content?: (KeysOf<TArgs> & string)[];
}

export const chatPostMessage: MethodSpec<ChatPostMessageArguments> = {
  types: {
    channel: 'string',
    text: 'string',
    blocks: 'json-array',
    attachments: 'json-array',
    markdown_text: 'string',
    thread_ts: 'string',
    reply_broadcast: 'boolean',
    mrkdwn: 'boolean',
    metadata: 'json-object',
    unfurl_links: 'boolean',
    unfurl_media: 'boolean',
    username: 'string',
    icon_emoji: 'string',
    icon_url: 'string',
    link_names: 'boolean',
    parse: 'string',
  },
  required: ['channel'],
  content: ['text', 'blocks', 'attachments', 'markdown_text'],
};

export const chatUpdate: MethodSpec<ChatUpdateArguments> = {
  types: {
    channel: 'string',
    ts: 'string',
    text: 'string',
    blocks: 'json-array',
    attachments: 'json-array',
    markdown_text: 'string',
    metadata: 'json-object',
    as_user: 'boolean',
    link_names: 'boolean',
    parse: 'string',
    file_ids: 'json-array',
    reply_broadcast: 'boolean',
  },
  required: ['channel', 'ts'],
  content: ['text', 'blocks', 'attachments', 'markdown_text'],
};

export const conversationsReplies: MethodSpec<ConversationsRepliesArguments> = {
  types: {
    channel: 'string',
    ts: 'string',
    cursor: 'string',
    limit: 'integer',
    include_all_metadata: 'boolean',
    inclusive: 'boolean',
    latest: 'string',
    oldest: 'string',
  },
  required: ['channel', 'ts'],
};

/** `trigger_id` (or an `interactivity_pointer`) is required too; `views.open` checks it itself. */
export const viewsOpen: MethodSpec<ViewsOpenArguments> = {
  types: { trigger_id: 'string', interactivity_pointer: 'string', view: 'json-object' },
  required: ['view'],
};

/** Reads one argument as its kind, or says why it cannot be. */
export function readArg(kind: ArgKind, raw: unknown): { value: unknown } | { problem: string } {
  switch (kind) {
    case 'string':
      return typeof raw === 'string'
        ? { value: raw }
        : typeof raw === 'number'
          ? { value: String(raw) }
          : { problem: 'expected a string' };
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === '1') return { value: true };
      if (raw === 'false' || raw === '0') return { value: false };
      return { problem: 'expected a boolean' };
    case 'integer': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isInteger(n) ? { value: n } : { problem: 'expected an integer' };
    }
    case 'json-object':
    case 'json-array': {
      let value = raw;
      if (typeof raw === 'string') {
        try {
          value = JSON.parse(raw);
        } catch {
          return { problem: 'expected JSON' };
        }
      }
      const ok =
        kind === 'json-array'
          ? Array.isArray(value)
          : typeof value === 'object' && value !== null && !Array.isArray(value);
      return ok
        ? { value }
        : { problem: kind === 'json-array' ? 'expected a JSON array' : 'expected a JSON object' };
    }
  }
}
