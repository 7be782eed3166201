import type { Envelope } from '@horizon/contracts';
import type { JetStreamConnection } from '@horizon/messaging';

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
