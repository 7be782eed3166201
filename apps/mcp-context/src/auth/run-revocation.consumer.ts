import { Inject, Injectable } from '@nestjs/common';
import { runFinished } from '@horizon/contracts';
import type { EnvelopeOf } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import { RunTokenIssuer } from './run-token-issuer';

/** Longest a token may outlive its run's record when the run row is gone (tokens expire by then). */
const FALLBACK_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/** Revokes a run's tokens when the run finishes, whatever its outcome. */
@Injectable()
@MessageConsumer({ durable: 'mcp-context-run-finished', stream: 'EVT' })
export class RunRevocationConsumer {
  constructor(
    private readonly issuer: RunTokenIssuer,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @HandleMessage(runFinished)
  async onRunFinished(envelope: EnvelopeOf<typeof runFinished>): Promise<void> {
    const { rows } = await this.db.pool.query<{ deadlineAt: Date }>(
      `SELECT "deadlineAt" FROM "Run" WHERE id = $1`,
      [envelope.data.runId],
    );
    await this.issuer.revoke(
      envelope.data.runId,
      rows[0]?.deadlineAt ?? new Date(Date.now() + FALLBACK_KEEP_MS),
    );
  }
}
