import { Inject, Injectable } from '@nestjs/common';
import { runFinished, runProgress, runStarted, type EnvelopeOf } from '@horizon/contracts';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import { RunTranscriptsRepository } from '../persistence/run-transcripts.repository';

/**
 * Keeps the console's own copy of runs' transcripts (`hzn.evt.run.*`): nobody else keeps
 * `run.progress`, and the console may read no other service's tables. Each write is idempotent
 * by its natural key (run id, seq), which makes a redelivery harmless without an inbox.
 * Handlers that return nothing ack; one that throws (the database away) is retried.
 */
@Injectable()
@MessageConsumer({ durable: 'console-runs', stream: 'EVT' })
export class RunEventsConsumer {
  constructor(@Inject(RunTranscriptsRepository) private readonly runs: RunTranscriptsRepository) {}

  @HandleMessage(runStarted)
  async started(env: EnvelopeOf<typeof runStarted>): Promise<void> {
    const { runId, workItemId } = env.data;
    await this.runs.markRun({ runId, workItemId, startedAt: new Date(env.occurredAt) });
  }

  @HandleMessage(runProgress)
  async progress(env: EnvelopeOf<typeof runProgress>): Promise<void> {
    const { runId, workItemId, seq, phase, kind, summary, detail } = env.data;
    await this.runs.addEntry(workItemId, {
      runId,
      seq,
      phase,
      kind,
      summary,
      detail: detail ?? {},
      at: env.occurredAt,
    });
  }

  @HandleMessage(runFinished)
  async finished(env: EnvelopeOf<typeof runFinished>): Promise<void> {
    const { runId, workItemId } = env.data;
    await this.runs.markRun({ runId, workItemId, finishedAt: new Date(env.occurredAt) });
  }
}
