import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import type { JetStreamConnection } from '@horizon/messaging';
import { z } from 'zod';
import type { PlanLiveEvent, PlanPresencePerson } from '../shared/console-api';

/**
 * Core NATS, not JetStream: presence is ephemeral (a heartbeat nobody heard is simply stale), so
 * it is not stored. Every console replica subscribes to all drafts' subjects and keeps the same
 * table, so a browser on one replica sees people whose heartbeats reached another.
 */
const SUBJECT = 'hzn.presence.console.plan';

const message = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('heartbeat'),
    draftId: z.string(),
    personId: z.string(),
    name: z.string(),
    editingItemId: z.string().nullable(),
  }),
  z.object({ type: z.literal('changed'), draftId: z.string(), version: z.number().int(), by: z.string() }),
  z.object({ type: z.literal('left'), draftId: z.string(), personId: z.string() }),
]);
type Message = z.infer<typeof message>;

type Listener = (event: PlanLiveEvent) => void;

/**
 * Who has which draft open, and its new versions, for the per-draft live stream. A person is
 * here from their first heartbeat until their last live stream of the draft on a replica closes
 * (the tab closed or moved on), or `timeoutMs` passes without a heartbeat (the browser sends one
 * every ~10 s; this catches a replica that died with the stream). The time of a heartbeat is when
 * this replica heard it, so clocks need not agree.
 */
export class PlanPresence implements OnModuleInit, OnModuleDestroy {
  private readonly here = new Map<string, Map<string, PlanPresencePerson & { seenAt: number }>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Open live streams here per draft and person: a second tab closing must not say they left. */
  private readonly streams = new Map<string, number>();
  private subscription?: Subscription;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly connection: JetStreamConnection,
    private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.subscription = this.connection.nc.subscribe(this.connection.naming.subject(`${SUBJECT}.*`), {
      callback: (err, msg) => {
        if (err) return;
        const parsed = message.safeParse(msg.json());
        // Not ours (another version of the console, a stray publisher): nothing to show.
        if (parsed.success) this.receive(parsed.data);
      },
    });
    // Checked several times per timeout so someone who left drops out at most ~a quarter late.
    this.sweeper = setInterval(() => this.sweep(), Math.max(100, Math.floor(this.timeoutMs / 4)));
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.subscription?.unsubscribe();
  }

  heartbeat(draftId: string, person: { personId: string; name: string }, editingItemId: string | null): void {
    this.send({ type: 'heartbeat', draftId, ...person, editingItemId });
  }

  changed(draftId: string, version: number, by: string): void {
    this.send({ type: 'changed', draftId, version, by });
  }

  /**
   * Calls `listener` with everyone here now, then with every change, for `personId`'s live
   * stream; returns the unsubscribe, which says they left once it was their last stream here.
   */
  watch(draftId: string, personId: string, listener: Listener): () => void {
    const set = this.listeners.get(draftId) ?? new Set();
    this.listeners.set(draftId, set.add(listener));
    const key = `${draftId} ${personId}`;
    this.streams.set(key, (this.streams.get(key) ?? 0) + 1);
    listener(this.presence(draftId));
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(draftId);
      const open = (this.streams.get(key) ?? 1) - 1;
      if (open > 0) return void this.streams.set(key, open);
      this.streams.delete(key);
      this.send({ type: 'left', draftId, personId });
    };
  }

  private send(m: Message): void {
    this.connection.nc.publish(this.connection.naming.subject(`${SUBJECT}.${m.draftId}`), JSON.stringify(m));
  }

  private receive(m: Message): void {
    if (m.type === 'changed') return this.emit(m.draftId, { type: 'changed', version: m.version, by: m.by });
    if (m.type === 'left') {
      if (this.here.get(m.draftId)?.delete(m.personId)) this.emit(m.draftId, this.presence(m.draftId));
      return;
    }
    const people = this.here.get(m.draftId) ?? new Map();
    this.here.set(m.draftId, people);
    const before = people.get(m.personId);
    people.set(m.personId, {
      personId: m.personId,
      name: m.name,
      editingItemId: m.editingItemId,
      seenAt: Date.now(),
    });
    // A heartbeat that changes nothing is not news: the others are told only of arrivals and moves.
    if (!before || before.editingItemId !== m.editingItemId) this.emit(m.draftId, this.presence(m.draftId));
  }

  private sweep(): void {
    const cutoff = Date.now() - this.timeoutMs;
    for (const [draftId, people] of this.here) {
      let dropped = false;
      for (const [id, p] of people)
        if (p.seenAt < cutoff) {
          people.delete(id);
          dropped = true;
        }
      if (people.size === 0) this.here.delete(draftId);
      if (dropped) this.emit(draftId, this.presence(draftId));
    }
  }

  private presence(draftId: string): PlanLiveEvent {
    const people = [...(this.here.get(draftId)?.values() ?? [])]
      .map(({ personId, name, editingItemId }) => ({ personId, name, editingItemId }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { type: 'presence', people };
  }

  private emit(draftId: string, event: PlanLiveEvent): void {
    for (const listener of this.listeners.get(draftId) ?? []) listener(event);
  }
}
