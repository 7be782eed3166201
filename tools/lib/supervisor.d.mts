// Types for supervisor.mjs (plain JavaScript: it runs before node_modules exists), for its spec.
import type { ChildProcess } from 'node:child_process';

export interface SupervisorReport {
  kind: 'exited' | 'restarting' | 'gave-up';
  code: number | null;
  signal: NodeJS.Signals | null;
  attempt: number;
  delayMs?: number;
}

export interface Supervisor {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): void;
}

export function supervise(options: {
  name: string;
  start: () => ChildProcess;
  report: (report: SupervisorReport) => void;
  maxRestarts?: number;
  windowMs?: number;
  baseDelayMs?: number;
}): Supervisor;
