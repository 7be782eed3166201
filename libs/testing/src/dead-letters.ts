import type { Envelope } from '@horizon/contracts';
import { HEADER, type JetStreamConnection } from '@horizon/messaging';

/** The dead letter of the message with envelope `id`, read straight off the DLQ stream; waits up to `timeoutMs`. */
export async function deadLetterOf(conn: JetStreamConnection, id: string, timeoutMs = 10_000) {
  const stream = conn.naming.stream('DLQ');
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const { state } = await conn.jsm.streams.info(stream);
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await conn.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m?.json<Envelope>().id === id) return m;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no dead letter for ${id} within ${timeoutMs} ms`);
}

export interface DeadLetter {
  subject: string;
  reason: string;
  envelopeId: string | null;
}

/** Every message on the DLQ stream, with why it is there (none when the stream does not exist yet). */
export async function deadLetters(conn: JetStreamConnection): Promise<DeadLetter[]> {
  const stream = conn.naming.stream('DLQ');
  const info = await conn.jsm.streams.info(stream).catch(() => null);
  if (!info || info.state.messages === 0) return [];
  const out: DeadLetter[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await conn.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    const envelope = (() => {
      try {
        return m.json<Envelope>();
      } catch {
        return null;
      }
    })();
    out.push({
      subject: m.header.get(HEADER.dlqSubject) || m.subject,
      reason: m.header.get(HEADER.dlqReason) || '',
      envelopeId: envelope?.id ?? null,
    });
  }
  return out;
}
