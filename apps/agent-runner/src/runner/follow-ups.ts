import type { RunnerFollowUp } from '@horizon/contracts';

const PLACES: Record<RunnerFollowUp['origin'], string> = {
  slack: 'Slack',
  linear: 'Linear',
  github: 'GitHub',
  console: 'the Horizon console',
};

/** Who wrote a follow-up and where, for the agent and the transcript. */
export function followUpAuthor(followUp: RunnerFollowUp): string {
  return `${followUp.author ?? 'someone'} on ${PLACES[followUp.origin]}`;
}

/** The message the agent gets: the human's words, saying whose they are. */
export function followUpMessage(followUp: RunnerFollowUp): string {
  return `A follow-up from ${followUpAuthor(followUp)} while you work on this task:\n\n${followUp.text}`;
}

/** Where follow-ups come from; `listen` is given everything that came before it and after. */
export interface FollowUpSource {
  listen(handler: (followUp: RunnerFollowUp) => void): void;
}

/**
 * The runner's follow-ups as they come in on stdin: each passed on once (a redelivered one
 * has the same id), those that came before anyone listened kept until someone does.
 */
export class FollowUpInbox implements FollowUpSource {
  private readonly seen = new Set<string>();
  private waiting: RunnerFollowUp[] = [];
  private handler: ((followUp: RunnerFollowUp) => void) | null = null;

  add(followUp: RunnerFollowUp): void {
    if (this.seen.has(followUp.id)) return;
    this.seen.add(followUp.id);
    if (this.handler) this.handler(followUp);
    else this.waiting.push(followUp);
  }

  listen(handler: (followUp: RunnerFollowUp) => void): void {
    this.handler = handler;
    for (const followUp of this.waiting.splice(0)) handler(followUp);
  }
}
