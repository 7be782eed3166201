import { request, type IncomingMessage } from 'node:http';

/**
 * The few calls of OpenCode's server API (`opencode serve`, 1.18) a turn needs, with basic
 * auth. Answers are read loosely: fields are checked, not trusted. Every call has a
 * connection of its own (no agent): the next turn's server often listens on the same port
 * (OpenCode tries 4096 first), and a pooled connection to the last one would be reset.
 */

/** One event of the server's bus (`GET /event`): `{ type, properties }`. */
export interface BusEvent {
  type: string;
  properties: Record<string, unknown>;
}

/** What `opencode run` refuses in a session nobody can answer questions in. */
const UNATTENDED_PERMISSIONS = ['question', 'plan_enter', 'plan_exit'].map((permission) => ({
  permission,
  action: 'deny',
  pattern: '*',
}));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class OpenCodeClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    password: string,
  ) {
    this.headers = {
      Authorization: `Basic ${Buffer.from(`opencode:${password}`).toString('base64')}`,
      'Content-Type': 'application/json',
    };
  }

  /**
   * The bus from now on. Resolves once the server confirmed the subscription (its first
   * event), so nothing published after that is missed; ends when `signal` aborts.
   */
  async subscribe(signal: AbortSignal): Promise<AsyncIterable<BusEvent>> {
    const response = await this.send('GET', '/event', undefined, signal);
    if (response.statusCode !== 200) {
      response.resume();
      throw new Error(`GET /event answered ${response.statusCode}`);
    }
    const events = sseEvents(response)[Symbol.asyncIterator]();
    const first = await events.next();
    if (first.done) throw new Error('the event stream ended at once');
    return { [Symbol.asyncIterator]: () => events };
  }

  async createSession(title: string): Promise<string> {
    const session = await this.call('POST', '/session', { title, permission: UNATTENDED_PERMISSIONS });
    if (!isObject(session) || typeof session.id !== 'string') throw new Error('no session id in the answer');
    return session.id;
  }

  /** Adds a user message and returns at once; a busy session takes it up after its current step. */
  async prompt(sessionId: string, text: string): Promise<void> {
    await this.call('POST', `/session/${sessionId}/prompt_async`, { parts: [{ type: 'text', text }] });
  }

  async busy(sessionId: string): Promise<boolean> {
    const statuses = await this.call('GET', '/session/status');
    return isObject(statuses) && statuses[sessionId] !== undefined;
  }

  /** User messages after the last answer (the agent has not taken them up, or not yet). */
  async trailingUserMessages(sessionId: string): Promise<Array<{ id: string; text: string }>> {
    const messages = await this.call('GET', `/session/${sessionId}/message`);
    const trailing: Array<{ id: string; text: string }> = [];
    for (const message of Array.isArray(messages) ? messages : []) {
      const info = isObject(message) && isObject(message.info) ? message.info : {};
      if (info.role !== 'user') {
        trailing.length = 0;
        continue;
      }
      const parts = isObject(message) && Array.isArray(message.parts) ? message.parts : [];
      const text = parts
        .filter((p): p is Record<string, unknown> => isObject(p) && p.type === 'text' && !p.synthetic)
        .map((p) => String(p.text ?? ''))
        .join('\n');
      if (typeof info.id === 'string') trailing.push({ id: info.id, text });
    }
    return trailing;
  }

  async deleteMessage(sessionId: string, messageId: string): Promise<void> {
    await this.call('DELETE', `/session/${sessionId}/message/${messageId}`);
  }

  async rejectPermission(requestId: string): Promise<void> {
    await this.call('POST', `/permission/${requestId}/reply`, { reply: 'reject' });
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.send(method, path, body);
    let text = '';
    for await (const chunk of response.setEncoding('utf8')) text += chunk as string;
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300)
      throw new Error(`${method} ${path} answered ${status}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  private send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers,
        agent: false,
        ...(signal ? { signal } : {}),
      });
      req.once('response', resolve).once('error', reject);
      req.end(body !== undefined ? JSON.stringify(body) : undefined);
    });
  }
}

/** Server-sent events → their `data` as JSON; anything unreadable is skipped. */
async function* sseEvents(body: IncomingMessage): AsyncGenerator<BusEvent> {
  let buffer = '';
  for await (const chunk of body.setEncoding('utf8')) {
    buffer += chunk as string;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      const event = parse(data);
      if (event) yield event;
    }
  }
}

function parse(data: string): BusEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (isObject(value) && typeof value.type === 'string')
      return { type: value.type, properties: isObject(value.properties) ? value.properties : {} };
  } catch {
    // a comment or keep-alive line
  }
  return undefined;
}
