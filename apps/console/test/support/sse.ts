import { performance } from 'node:perf_hooks';
import type { LiveEvent } from '../../src/shared/console-api';

/** One open `GET /api/events`, read as a browser's EventSource would: `id`, `event`, `data` fields. */
export class SseReader {
  /** Every event, with its SSE id and when it arrived (performance.now()). */
  readonly events: (LiveEvent & { id: string; receivedAt: number })[] = [];
  /** Events of other names (a plan's `presence` and `changed`), with their parsed data. */
  readonly named: { event: string; data: unknown; receivedAt: number }[] = [];
  private readonly done: Promise<void>;

  private constructor(private readonly body: ReadableStreamDefaultReader<Uint8Array>) {
    this.done = this.read();
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
    if (res.status !== 200) throw new Error(`events answered ${res.status}: ${await res.text()}`);
    return new SseReader(res.body!.getReader());
  }

  /** Drops the connection, as a network blip would. */
  async close(): Promise<void> {
    await this.body.cancel();
    await this.done;
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const chunk = await this.body.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  private parse(block: string): void {
    const fields = Object.fromEntries(
      block
        .split('\n')
        .filter((line) => !line.startsWith(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    if (fields.event === 'horizon')
      this.events.push({
        ...(JSON.parse(fields.data) as LiveEvent),
        id: fields.id,
        receivedAt: performance.now(),
      });
    else if (fields.event)
      this.named.push({
        event: fields.event,
        data: JSON.parse(fields.data) as unknown,
        receivedAt: performance.now(),
      });
  }
}
