import { Injectable } from '@nestjs/common';
import { runFinished } from '@horizon/contracts';
import type { EnvelopeOf } from '@horizon/contracts';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import { RunTokenIssuer } from '@horizon/run-tokens';

/** How long a revocation is kept when the event does not say the run's deadline (tokens expire by then). */
const FALLBACK_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/** Revokes a run's tokens when the run finishes, whatever its outcome: the only writer of revocations. */
@Injectable()
@MessageConsumer({ durable: 'mcp-context-run-finished', stream: 'EVT' })
export class RunRevocationConsumer {
  constructor(private readonly issuer: RunTokenIssuer) {}

  @HandleMessage(runFinished)
  async onRunFinished(envelope: EnvelopeOf<typeof runFinished>): Promise<void> {
    const { runId, deadlineAt } = envelope.data;
    await this.issuer.revoke(
      runId,
      deadlineAt ? new Date(deadlineAt) : new Date(Date.now() + FALLBACK_KEEP_MS),
    );
  }
}
