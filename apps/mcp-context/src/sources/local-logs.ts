import { createHash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorGroup, LogEntry } from '../domain/records';
import { ErrorQuery, ErrorSource, LogQuery, LogSource, MAX_SOURCE_ITEMS } from './ports';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const LABELS = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k]));

export interface LocalLogOptions {
  /** `$HORIZON_DATA_DIR/logs`: one pino JSON-lines file per service. */
  dir: string;
  /** Bytes read from the end of each file: old lines beyond it are not searched. */
  tailBytes: number;
}

/**
 * Horizon's own logs as the default logs and errors source: the pino JSON lines each service
 * writes under the data directory, read from the end of each file. Lines that are not JSON
 * (a crash's stderr) are kept as info lines of the file's service.
 */
export class LocalLogs implements LogSource {
  readonly name = 'local';
  constructor(private readonly options: LocalLogOptions) {}

  async search(query: LogQuery): Promise<LogEntry[]> {
    const minLevel = LEVELS[query.level ?? 'trace'] ?? 0;
    const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const entries = (await this.readAll()).filter(
      (e) =>
        (LEVELS[e.level] ?? 30) >= minLevel &&
        (!query.service || e.service === query.service) &&
        (!query.runId || e.runId === query.runId) &&
        inWindow(e.time, query) &&
        matchesWords(e, words),
    );
    return newestFirst(entries).slice(0, MAX_SOURCE_ITEMS);
  }

  async searchErrors(query: ErrorQuery): Promise<ErrorGroup[]> {
    const entries = await this.search({ ...query, level: 'error' });
    const groups = new Map<string, ErrorGroup>();
    for (const e of entries) {
      const id = createHash('sha256').update(`${e.service}\0${e.message}`).digest('hex').slice(0, 16);
      const group = groups.get(id);
      if (group) {
        group.count += 1;
        group.firstSeen = e.time;
        continue;
      }
      const err = e.attributes.err as { stack?: unknown; message?: unknown } | undefined;
      const detail = typeof err?.stack === 'string' ? err.stack : JSON.stringify(e.attributes);
      groups.set(id, {
        id,
        title: e.message,
        level: e.level,
        service: e.service,
        count: 1,
        firstSeen: e.time,
        lastSeen: e.time,
        url: null,
        detail,
      });
    }
    return [...groups.values()];
  }

  /** The same logs seen as error groups (one per service and message), for the errors port. */
  errors(): ErrorSource {
    return { name: this.name, search: (q) => this.searchErrors(q) };
  }

  private async readAll(): Promise<LogEntry[]> {
    let files: string[];
    try {
      files = (await readdir(this.options.dir)).filter((f) => f.endsWith('.log'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const perFile = await Promise.all(
      files.map((f) => this.readFile(join(this.options.dir, f), f.replace(/\.log$/, ''))),
    );
    return perFile.flat();
  }

  private async readFile(path: string, service: string): Promise<LogEntry[]> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - this.options.tailBytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lines = buffer.toString('utf8').split('\n');
      if (start > 0) lines.shift(); // a line cut by the tail window
      return lines.filter((l) => l.trim()).map((l) => parseLine(l, service));
    } finally {
      await handle.close();
    }
  }
}

function parseLine(line: string, fileService: string): LogEntry {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
    if (typeof record !== 'object' || record === null) throw new Error('not an object');
  } catch {
    return { time: null, level: 'info', service: fileService, runId: null, message: line, attributes: {} };
  }
  const { time, level, service, runId, msg, pid: _pid, hostname: _hostname, ...attributes } = record;
  return {
    time: typeof time === 'number' ? new Date(time).toISOString() : typeof time === 'string' ? time : null,
    level:
      typeof level === 'number'
        ? (LABELS[level] ?? String(level))
        : typeof level === 'string'
          ? level
          : 'info',
    service: typeof service === 'string' ? service : fileService,
    runId: typeof runId === 'string' ? runId : null,
    message: typeof msg === 'string' ? msg : '',
    attributes,
  };
}

function inWindow(time: string | null, window: { since?: Date; until?: Date }): boolean {
  if (!time) return !window.since;
  const t = Date.parse(time);
  return (!window.since || t >= window.since.getTime()) && (!window.until || t <= window.until.getTime());
}

function matchesWords(entry: LogEntry, words: string[]): boolean {
  if (words.length === 0) return true;
  const haystack = `${entry.message} ${JSON.stringify(entry.attributes)}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

function newestFirst(entries: LogEntry[]): LogEntry[] {
  return entries.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
}
