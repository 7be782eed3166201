import type { EventLog } from '@horizon/runner-launch';
import type { HarnessEvent } from './harness';
import { OpenCodeClient } from './opencode-client';
import { SessionEvents } from './opencode-events';

export interface TurnRequest {
  prompt: string;
  /** The session to continue; else one is created with `title`. */
  session?: string;
  title: string;
}

/**
 * One turn of the agent against a running `opencode serve`: the prompt goes into the session,
 * the session's events become harness events until its loop ends, and messages `send`
 * passes meanwhile join the same loop (OpenCode queues a message given to a busy session and
 * takes it up after the current step).
 */
export class OpenCodeTurn {
  private client: OpenCodeClient | undefined;
  private state: 'starting' | 'working' | 'ending' | 'over' = 'starting';
  private readonly sends = new Set<Promise<boolean>>();
  /** Texts `send` added: only those can be taken back (never the turn's own prompt). */
  private readonly sent = new Set<string>();
  private readonly prompted: Promise<void>;
  private markPrompted!: () => void;
  session: string | undefined;
  /** Why the turn could not be driven to its end (the server went away, an API call failed). */
  error: string | undefined;
  /** The session's loop ended and every message given to it was answered or taken back. */
  finished = false;
  unanswered: string[] = [];

  constructor(
    private readonly password: string,
    private readonly events: EventLog<HarnessEvent>,
  ) {
    this.prompted = new Promise((resolve) => (this.markPrompted = resolve));
  }

  /** Drives the turn to its end; `server` is the server's URL, or null when it never listened. */
  async drive(server: Promise<string | null>, request: TurnRequest): Promise<void> {
    const subscription = new AbortController();
    try {
      const url = await server;
      if (!url) return;
      const client = (this.client = new OpenCodeClient(url, this.password));
      const bus = await client.subscribe(subscription.signal);
      const session = (this.session = request.session ?? (await client.createSession(request.title)));
      const reader = new SessionEvents(session);
      await client.prompt(session, request.prompt);
      this.state = 'working';
      this.markPrompted();
      for await (const event of bus) {
        const reading = reader.read(event);
        if (reading?.type === 'harness') this.events.push(reading.event);
        else if (reading?.type === 'permission') await client.rejectPermission(reading.requestId);
        else if (reading?.type === 'idle' && (await this.settle(client, session))) break;
      }
      if (!this.finished) throw new Error('the event stream ended before the agent finished');
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.state = 'over';
      this.markPrompted();
      subscription.abort();
    }
  }

  async send(text: string): Promise<boolean> {
    await this.prompted;
    if (this.state !== 'working' || !this.client || !this.session) return false;
    this.sent.add(text);
    const sent = this.client.prompt(this.session, text).then(
      () => true,
      () => false,
    );
    this.sends.add(sent);
    try {
      return await sent;
    } finally {
      this.sends.delete(sent);
    }
  }

  /**
   * The loop ended. A message that came in as it was ending either started another loop
   * (the turn goes on) or was left unanswered: then it is taken back for the next turn.
   */
  private async settle(client: OpenCodeClient, session: string): Promise<boolean> {
    this.state = 'ending';
    await Promise.all(this.sends);
    const trailing = (await client.trailingUserMessages(session)).filter((m) => this.sent.has(m.text));
    if (trailing.length > 0 && (await client.busy(session))) {
      this.state = 'working';
      return false;
    }
    for (const message of trailing) await client.deleteMessage(session, message.id);
    this.unanswered = trailing.map((m) => m.text);
    this.finished = true;
    return true;
  }
}
