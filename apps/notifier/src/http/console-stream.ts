import { EventEmitter } from 'node:events';

export interface ConsoleEvent {
  id: string;
  at: string;
  dedupeKey: string;
  title: string;
  body: string;
  target: Record<string, string>;
  updateKey: string | null;
}

/**
 * The console's live stream, in process: the notifier publishes, `GET /events` subscribers
 * (the console, `horizon … --follow`) receive Server-Sent Events. A short backlog lets a
 * client that reconnects with `Last-Event-ID` catch up.
 */
export class ConsoleStream {
  private readonly emitter = new EventEmitter();
  private readonly backlog: ConsoleEvent[] = [];
  private seq = 0;

  constructor(private readonly backlogSize = 500) {
    this.emitter.setMaxListeners(0);
  }

  publish(event: Omit<ConsoleEvent, 'id' | 'at'>): string {
    const full = { ...event, id: String(++this.seq), at: new Date().toISOString() };
    this.backlog.push(full);
    if (this.backlog.length > this.backlogSize) this.backlog.shift();
    this.emitter.emit('event', full);
    return full.id;
  }

  /** Events after `lastEventId` (all kept ones when absent), then live ones, until unsubscribed. */
  subscribe(listener: (e: ConsoleEvent) => void, lastEventId?: string): () => void {
    const after = lastEventId ? Number(lastEventId) : 0;
    for (const e of this.backlog) if (Number(e.id) > after) listener(e);
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
