import type { HarnessEvent } from '../harness';
import { oneLine } from './transcript';

/**
 * Friction notes for the retro loop: what went wrong along the way even when the run ended
 * well (commands that failed, tools that errored, harness errors, retries). Repeats are
 * counted rather than listed.
 */
export class FrictionNotes {
  private readonly counts = new Map<string, number>();

  add(note: string): void {
    this.counts.set(note, (this.counts.get(note) ?? 0) + 1);
  }

  addHarnessEvent(event: HarnessEvent): void {
    if (event.type === 'error') this.add(`harness error: ${oneLine(event.message, 200)}`);
    if (event.type !== 'tool_use') return;
    if (event.status === 'error') {
      this.add(`tool ${event.tool} failed: ${oneLine(event.output, 160)}`);
    } else if (event.exitCode !== undefined && event.exitCode !== 0) {
      const command = typeof event.input.command === 'string' ? event.input.command : event.tool;
      this.add(`command \`${oneLine(command, 120)}\` exited ${event.exitCode}`);
    }
  }

  list(): string[] {
    return [...this.counts].map(([note, count]) => (count > 1 ? `${note} (×${count})` : note));
  }
}
