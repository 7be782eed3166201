import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface EgressLogEntry {
  time: string;
  kind: 'connect' | 'http' | 'git' | 'model' | 'mcp' | 'preview';
  method: string;
  host: string;
  path: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  refused?: string;
}

/** One JSON line per request, appended to the run's artifact file. */
export class EgressRequestLog {
  private readonly stream: WriteStream;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'a', mode: 0o640 });
  }

  write(entry: Omit<EgressLogEntry, 'time'>): void {
    this.stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
  }
}
