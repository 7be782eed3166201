import { Inject, Injectable } from '@nestjs/common';
import { sandboxArtifactRecorded, type EnvelopeOf } from '@horizon/contracts';
import { HandleMessage, MessageConsumer, type MessageContext } from '@horizon/messaging';
import { BrowserEvidence } from '../application/browser-evidence';

/**
 * Keeps runs' browser evidence for the run page (`hzn.evt.sandbox.artifact_recorded` of the
 * browser kinds), idempotent by artifact id. One of its own: `console-runs` filters on
 * `hzn.evt.run.*`, and one filter covering both would deliver every sandbox event.
 */
@Injectable()
@MessageConsumer({ durable: 'console-run-evidence', stream: 'EVT' })
export class RunEvidenceConsumer {
  constructor(@Inject(BrowserEvidence) private readonly evidence: BrowserEvidence) {}

  @HandleMessage(sandboxArtifactRecorded)
  async recorded(env: EnvelopeOf<typeof sandboxArtifactRecorded>, ctx: MessageContext): Promise<void> {
    const { artifactId, runId, kind } = env.data;
    const notKept = await this.evidence.record(env.data, ctx.streamSeq);
    if (notKept) ctx.logger.warn({ artifactId, runId, kind, reason: notKept }, 'browser evidence not kept');
  }
}
