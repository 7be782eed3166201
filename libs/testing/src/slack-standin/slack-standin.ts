import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  readSubmissionAnswer,
  sendInteraction,
  type SlackAppInteractivity,
  type SubmissionOutcome,
} from './interactions';
import {
  chatPostMessage,
  chatUpdate,
  conversationsReplies,
  MethodSpec,
  readArg,
  SlackError,
  viewsOpen,
} from './methods';
import { SlackViews, TRIGGER_TTL_MS, type OpenedView } from './views';

type Block = Record<string, unknown> & { type?: string; elements?: Record<string, unknown>[] };

export interface SlackMessage {
  ts: string;
  text: string;
  bot_id?: string;
  user?: string;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** As posted, each with a `block_id` (Slack gives one to a block posted without). */
  blocks?: Block[];
  edited?: { ts: string };
  /** Every text this message had, oldest first (the stand-in's record of `chat.update`). */
  history: string[];
}

export interface SlackCallRecord {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** `ok`, or the error Slack answered. */
  outcome: string;
}

export interface SlackStandin {
  /** For `new WebClient(token, { slackApiUrl })`. */
  url: string;
  token: string;
  calls: SlackCallRecord[];
  /** A channel the bot is in; returns its id. */
  addChannel(id?: string): string;
  /** A member of the workspace; returns their user id (`U…`). */
  addUser(id?: string): string;
  /** The bot's direct messages to a user (its DM channel `D…` with them), oldest first. */
  directMessages(userId: string): SlackMessage[];
  /** A human's message (a thread root, or a reply when `threadTs` is given). */
  addUserMessage(channel: string, text: string, threadTs?: string): string;
  messages(channel: string): SlackMessage[];
  thread(channel: string, threadTs: string): SlackMessage[];
  /** Answers the next calls with 429 and `Retry-After: <seconds>`. */
  rateLimitNext(options: { retryAfterSeconds: number; count?: number; method?: string }): void;
  /** The app's Interactivity Request URL and signing secret, where `press` and `submit` post. */
  connectApp(app: SlackAppInteractivity): void;
  /** The trigger id Slack puts in an interaction of `user`'s; `views.open` takes it once, for 3 s. */
  issueTrigger(user: string): string;
  /** The modals `views.open` opened, oldest first. */
  views: OpenedView[];
  /**
   * `user` presses the button `actionId` of the bot's message: a signed `block_actions`
   * interaction (with a fresh trigger id) to the app, which must answer 200 within 3 s.
   */
  press(
    user: string,
    channel: string,
    messageTs: string,
    actionId: string,
  ): Promise<{ status: number; triggerId: string }>;
  /**
   * The person the modal was opened for submits it with `typed` in its inputs (block id → text):
   * a signed `view_submission` to the app, its answer read as Slack reads it.
   */
  submit(viewId: string, typed: Record<string, string>): Promise<SubmissionOutcome>;
  close(): Promise<void>;
}

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

/**
 * Slack's Web API on loopback for the methods Horizon calls: `POST /api/<method>`, form or
 * JSON bodies, bot token as `Authorization: Bearer xoxb-…` (or a `token` field). Arguments are
 * checked as Slack documents them (required, types, message content), refusals come in Slack's
 * `{ ok: false, error }` shape, and 429 with `Retry-After` is available on demand. People's
 * presses and modal submissions go to the app's Request URL as Slack sends them (signed,
 * form-encoded), and `views.open` takes only a trigger id one of them carried (views.ts).
 */
export async function startSlackStandin(
  options: { token?: string; botId?: string; teamId?: string; triggerTtlMs?: number } = {},
): Promise<SlackStandin> {
  const token = options.token ?? 'xoxb-standin-token';
  const botId = options.botId ?? 'B0HORIZON';
  const teamId = options.teamId ?? 'T0STANDIN';
  const appId = 'A0HORIZON';
  const views = new SlackViews({
    teamId,
    appId,
    botId,
    triggerTtlMs: options.triggerTtlMs ?? TRIGGER_TTL_MS,
  });
  let app: SlackAppInteractivity | null = null;
  const channels = new Map<string, SlackMessage[]>();
  /** Workspace members, with the DM channel the bot has with each once it wrote to them. */
  const users = new Map<string, { dm?: string }>();
  const calls: SlackCallRecord[] = [];
  let limit: { retryAfterSeconds: number; count: number; method?: string } = {
    retryAfterSeconds: 0,
    count: 0,
  };
  let clock = Math.floor(Date.now() / 1000);
  let seq = 0;
  const nextTs = () => `${clock}.${String(++seq).padStart(6, '0')}`;

  const channelOf = (args: Record<string, unknown>) => {
    const messages = channels.get(args.channel as string);
    if (!messages) throw new SlackError('channel_not_found');
    return messages;
  };
  /**
   * `chat.postMessage` to a user id posts in the bot's DM with them, opening it on first use;
   * the answer names the `D…` channel, as Slack's does. An unknown user is `channel_not_found`.
   */
  const dmChannelOf = (userId: string): string => {
    const user = users.get(userId);
    if (!user) throw new SlackError('channel_not_found');
    if (!user.dm) {
      user.dm = `D${userId.slice(1)}`;
      channels.set(user.dm, []);
    }
    return user.dm;
  };
  const validate = <T>(spec: MethodSpec<T>, raw: Record<string, unknown>): Record<string, unknown> => {
    const args: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const key of spec.required)
      if (raw[key] === undefined || raw[key] === '') problems.push(`[ERROR] missing required field: ${key}`);
    for (const [key, kind] of Object.entries(spec.types) as [string, Parameters<typeof readArg>[0]][]) {
      if (raw[key] === undefined) continue;
      const read = readArg(kind, raw[key]);
      if ('problem' in read) problems.push(`[ERROR] ${read.problem} [json-pointer:/${key}]`);
      else args[key] = read.value;
    }
    if (problems.length) throw new SlackError('invalid_arguments', problems);
    if (spec.content && !spec.content.some((k) => args[k] !== undefined && args[k] !== ''))
      throw new SlackError('no_text');
    return args;
  };
  const view = (m: SlackMessage, withMetadata: boolean) => {
    const { history: _history, metadata, ...rest } = m;
    return { type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
  };

  const methods: Record<string, Handler> = {
    'auth.test': () => ({
      url: 'https://standin.slack.com/',
      team: 'Standin',
      user: 'horizon',
      team_id: teamId,
      user_id: 'U0HORIZON',
      bot_id: botId,
    }),
    'chat.postMessage': (raw) => {
      const args = validate(chatPostMessage, raw);
      if (/^[UW]/.test(args.channel as string)) args.channel = dmChannelOf(args.channel as string);
      const messages = channelOf(args);
      const threadTs = args.thread_ts as string | undefined;
      if (threadTs && !messages.some((m) => m.ts === threadTs)) throw new SlackError('thread_not_found');
      const text = (args.text as string | undefined) ?? '';
      const metadata = args.metadata as SlackMessage['metadata'];
      if (metadata && (typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object'))
        throw new SlackError('invalid_metadata_format');
      const message: SlackMessage = {
        ts: nextTs(),
        text,
        bot_id: botId,
        thread_ts: threadTs,
        metadata,
        ...(args.blocks ? { blocks: withBlockIds(args.blocks as Block[]) } : {}),
        history: [text],
      };
      messages.push(message);
      return { channel: args.channel, ts: message.ts, message: view(message, true) };
    },
    'chat.update': (raw) => {
      const args = validate(chatUpdate, raw);
      const message = channelOf(args).find((m) => m.ts === args.ts);
      if (!message) throw new SlackError('message_not_found');
      if (message.bot_id !== botId) throw new SlackError('cant_update_message');
      message.text = (args.text as string | undefined) ?? message.text;
      message.history.push(message.text);
      message.edited = { ts: nextTs() };
      return { channel: args.channel, ts: message.ts, text: message.text };
    },
    'conversations.replies': (raw) => {
      const args = validate(conversationsReplies, raw);
      const messages = channelOf(args);
      const root = messages.find((m) => m.ts === args.ts);
      if (!root) throw new SlackError('thread_not_found');
      const thread = [root, ...messages.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts)];
      return {
        messages: thread.map((m) => view(m, args.include_all_metadata === true)),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },
    'views.open': (raw) => {
      const args = validate(viewsOpen, raw);
      return views.open({ trigger_id: args.trigger_id, view: args.view as Record<string, unknown> });
    },
  };

  const user = (id: string) => {
    if (!users.has(id)) throw new Error(`no user ${id} in the stand-in's workspace`);
    return { id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: teamId };
  };
  const appOrThrow = () => {
    if (!app) throw new Error('connectApp first: the stand-in has no Request URL to post interactions to');
    return app;
  };

  const withBlockIds = (blocks: Block[]) =>
    blocks.map((b) => ({ ...b, block_id: b.block_id ?? randomBytes(3).toString('base64url') }));

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = /^\/api\/([\w.]+)$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    if (req.method !== 'POST' || !method) return send(res, 404, { ok: false, error: 'unknown_method' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    let args: Record<string, unknown>;
    try {
      args = type.includes('application/json')
        ? raw
          ? JSON.parse(raw)
          : {}
        : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return send(res, 200, { ok: false, error: 'invalid_json' });
    }
    const record = (outcome: string) => calls.push({ method, args, at: Date.now(), outcome });
    const bearer =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args.token as string | undefined);
    delete args.token;
    if (!bearer) return (record('not_authed'), send(res, 200, { ok: false, error: 'not_authed' }));
    if (bearer !== token)
      return (record('invalid_auth'), send(res, 200, { ok: false, error: 'invalid_auth' }));
    const handler = methods[method];
    if (!handler) return (record('unknown_method'), send(res, 200, { ok: false, error: 'unknown_method' }));
    if (limit.count > 0 && (!limit.method || limit.method === method)) {
      limit.count -= 1;
      record('ratelimited');
      return send(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(limit.retryAfterSeconds) },
      );
    }
    try {
      const body = handler(args);
      record('ok');
      return send(res, 200, { ok: true, ...body });
    } catch (err) {
      if (!(err instanceof SlackError)) throw err;
      record(err.error);
      return send(res, 200, {
        ok: false,
        error: err.error,
        ...(err.messages.length ? { response_metadata: { messages: err.messages } } : {}),
      });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { ok: false, error: 'internal_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    calls,
    addChannel: (id = `C${Math.random().toString(36).slice(2, 10).toUpperCase()}`) => {
      channels.set(id, channels.get(id) ?? []);
      return id;
    },
    addUser: (id = `U${Math.random().toString(36).slice(2, 10).toUpperCase()}`) => {
      users.set(id, users.get(id) ?? {});
      return id;
    },
    directMessages: (userId) => {
      const dm = users.get(userId)?.dm;
      return dm ? (channels.get(dm) ?? []) : [];
    },
    addUserMessage: (channel, text, threadTs) => {
      const messages = channels.get(channel);
      if (!messages) throw new Error(`no channel ${channel}`);
      clock += 1;
      const message: SlackMessage = {
        ts: nextTs(),
        text,
        user: 'U0HUMAN',
        thread_ts: threadTs,
        history: [text],
      };
      messages.push(message);
      return message.ts;
    },
    messages: (channel) => channels.get(channel) ?? [],
    thread: (channel, threadTs) =>
      (channels.get(channel) ?? []).filter((m) => m.ts === threadTs || m.thread_ts === threadTs),
    rateLimitNext: (o) => {
      limit = { retryAfterSeconds: o.retryAfterSeconds, count: o.count ?? 1, method: o.method };
    },
    connectApp: (a) => {
      app = a;
    },
    issueTrigger: (userId) => views.issueTrigger(userId),
    views: views.opened,
    press: async (userId, channel, messageTs, actionId) => {
      const message = (channels.get(channel) ?? []).find((m) => m.ts === messageTs);
      const block = message?.blocks?.find((b: Block) => b.elements?.some((e) => e.action_id === actionId));
      const button = block?.elements?.find((e) => e.action_id === actionId);
      if (!message || !block || !button) throw new Error(`no button ${actionId} on message ${messageTs}`);
      const triggerId = views.issueTrigger(userId);
      const { status } = await sendInteraction(appOrThrow(), {
        type: 'block_actions',
        user: user(userId),
        api_app_id: appId,
        token: 'unused-verification-token',
        container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
        trigger_id: triggerId,
        team: { id: teamId, domain: 'standin' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel, name: channel.toLowerCase() },
        message: view(message, false),
        state: { values: {} },
        response_url: `https://hooks.slack.com/actions/${teamId}/${seq}/${randomBytes(12).toString('hex')}`,
        actions: [{ ...button, block_id: block.block_id, action_ts: `${Date.now() / 1000}` }],
      });
      return { status, triggerId };
    },
    submit: async (viewId, typed) => {
      const opened = views.get(viewId);
      const values = views.submittedValues(opened, typed);
      const answer = await sendInteraction(appOrThrow(), {
        type: 'view_submission',
        team: { id: teamId, domain: 'standin' },
        user: user(opened.user),
        api_app_id: appId,
        token: 'unused-verification-token',
        trigger_id: views.issueTrigger(opened.user),
        view: { ...opened.view, state: { values } },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      });
      const outcome = readSubmissionAnswer(opened, answer);
      if (outcome.outcome === 'closed') opened.closed = true;
      return outcome;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
