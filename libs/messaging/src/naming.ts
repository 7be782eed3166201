import { RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** The four streams of DESIGN §4, by their base name and the subject space they hold. */
export const STREAMS = {
  INGRESS: { base: 'HZN_INGRESS', subjects: 'hzn.ingress.>', retention: RetentionPolicy.Limits },
  CMD: { base: 'HZN_CMD', subjects: 'hzn.cmd.>', retention: RetentionPolicy.Workqueue },
  EVT: { base: 'HZN_EVT', subjects: 'hzn.evt.>', retention: RetentionPolicy.Limits },
  DLQ: { base: 'HZN_DLQ', subjects: 'hzn.dlq.>', retention: RetentionPolicy.Limits },
} as const;
export type StreamKey = keyof typeof STREAMS;

/**
 * A deployment (or a test suite) owns a prefix: every stream name and subject is qualified by
 * it, so several Horizons — or parallel test suites — share one NATS without colliding.
 */
export class Naming {
  constructor(readonly prefix: string) {
    if (!/^[A-Za-z0-9_]*$/.test(prefix))
      throw new Error(`stream prefix "${prefix}" may hold only letters, digits and _`);
  }

  stream(key: StreamKey): string {
    return this.prefix ? `${this.prefix}_${STREAMS[key].base}` : STREAMS[key].base;
  }

  /** The wire subject of a contract subject. */
  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** The contract subject of a wire subject, or undefined when it is not ours. */
  unprefix(wire: string): string | undefined {
    if (!this.prefix) return wire;
    return wire.startsWith(`${this.prefix}.`) ? wire.slice(this.prefix.length + 1) : undefined;
  }

  /** The stream a contract subject lands in. */
  streamFor(subject: string): StreamKey {
    const key = (Object.keys(STREAMS) as StreamKey[]).find((k) =>
      subject.startsWith(STREAMS[k].subjects.slice(0, -1)),
    );
    if (!key) throw new Error(`subject ${subject} belongs to no Horizon stream`);
    return key;
  }

  streamConfig(
    key: StreamKey,
    duplicateWindowMs: number,
    replicas = 1,
  ): Partial<StreamConfig> & { name: string } {
    const def = STREAMS[key];
    return {
      name: this.stream(key),
      subjects: [this.subject(def.subjects)],
      retention: def.retention,
      storage: StorageType.File,
      duplicate_window: nanos(duplicateWindowMs),
      num_replicas: replicas,
      // Seven days of history for the fact streams; the work queue keeps until acked.
      max_age: def.retention === RetentionPolicy.Workqueue ? 0 : nanos(7 * 24 * 3600 * 1000),
    };
  }
}
