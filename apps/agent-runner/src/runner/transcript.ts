import type { BrowserCheckRequest, RunnerEvent, RunReport } from '@horizon/contracts';
import type { HarnessEvent } from '../harness';

type Phase = RunnerEvent['phase'];

/** Tool output kept per transcript line: enough to read what happened, bounded for the bus. */
const OUTPUT_LIMIT = 16 * 1024;

/**
 * The runner's stdout protocol: one JSON object per line, `event`s numbered from 0 (and the
 * requests the host answers on stdin), then one `report`. Nothing else may be written to
 * stdout (diagnostics go to stderr).
 */
export class Transcript {
  private seq = 0;
  private readonly observers: ((event: RunnerEvent) => void)[] = [];

  constructor(
    private readonly writeLine: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  emit(phase: Phase, kind: string, summary: string, detail?: Record<string, unknown>): RunnerEvent {
    const event: RunnerEvent = {
      type: 'event',
      seq: this.seq++,
      at: this.now(),
      phase,
      kind,
      summary,
      ...(detail ? { detail } : {}),
    };
    this.writeLine(JSON.stringify(event));
    for (const observe of this.observers) observe(event);
    return event;
  }

  /** Calls `observer` with every entry from now on (the run's friction is read off them). */
  observe(observer: (event: RunnerEvent) => void): void {
    this.observers.push(observer);
  }

  harnessEvent(event: HarnessEvent, round: number): RunnerEvent {
    const { kind, summary, detail } = describeHarnessEvent(event);
    return this.emit('harness', kind, summary, { ...detail, round });
  }

  /** A request for the host, which answers it on the runner's stdin. */
  request(request: BrowserCheckRequest): void {
    this.writeLine(JSON.stringify(request));
  }

  report(report: RunReport): void {
    this.writeLine(JSON.stringify(report));
  }
}

/** A harness event as a transcript entry: a one-line summary, the event itself as detail. */
export function describeHarnessEvent(event: HarnessEvent): {
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
} {
  switch (event.type) {
    case 'step_start':
      return { kind: 'step_start', summary: 'step started', detail: {} };
    case 'text':
      return { kind: 'text', summary: oneLine(event.text, 200), detail: { text: event.text } };
    case 'tool_use': {
      const exit = event.exitCode !== undefined ? ` (exit ${event.exitCode})` : '';
      return {
        kind: 'tool_use',
        summary: `${event.tool} ${toolTarget(event.tool, event.input)}: ${event.status}${exit}`,
        detail: {
          tool: event.tool,
          callId: event.callId,
          status: event.status,
          input: event.input,
          output: tail(event.output, OUTPUT_LIMIT),
          ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
        },
      };
    }
    case 'step_finish':
      return {
        kind: 'step_finish',
        summary: `step finished (${event.reason}): ${event.tokens.input} in, ${event.tokens.output} out`,
        detail: { reason: event.reason, tokens: event.tokens, costUsd: event.costUsd },
      };
    case 'error':
      return { kind: 'error', summary: oneLine(event.message, 200), detail: { message: event.message } };
  }
}

/** What a tool call was about, for its summary: the command, the file, the pattern. */
function toolTarget(tool: string, input: Record<string, unknown>): string {
  const field = { bash: 'command', glob: 'pattern', grep: 'pattern' }[tool] ?? 'filePath';
  const value = input[field];
  return oneLine(typeof value === 'string' ? value : JSON.stringify(input), 120);
}

export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The last `max` characters of `text`, marked as cut when it was. */
export function tail(text: string, max: number): string {
  return text.length > max ? `[… ${text.length - max} characters cut]\n${text.slice(-max)}` : text;
}
