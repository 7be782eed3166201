import { randomUUID } from 'node:crypto';
import { envelopeFor, sandboxModelUsage, type ModelProvider } from '@horizon/contracts';
import type { ModelRequestUsage } from '@horizon/sandbox';
import { costOf, type PriceTable } from '../domain/model-prices';
import { SOURCE } from './agent-runs';
import type { SandboxRepository } from './ports';

/** One model request of a run, as its egress proxy counted it. */
export interface RunModelUsage extends ModelRequestUsage {
  runId: string;
  sandboxId: string;
  provider: ModelProvider;
}

/** Where the counts also go as they happen (Prometheus counters, see `app.module.ts`). */
export interface ModelUsageObserver {
  counted(usage: RunModelUsage, costUsd: number | null): void;
}

/**
 * Prices each model request and announces it (`hzn.evt.sandbox.model_usage`) through the
 * outbox, so it survives a restart of this service once committed; the orchestrator, which
 * owns the run's record, keeps it once per `usageId`. The id is made here, once, so a
 * redelivery can never count twice.
 */
export class ModelUsageRecorder {
  constructor(
    private readonly repository: SandboxRepository,
    private readonly prices: PriceTable,
    private readonly observer?: ModelUsageObserver,
  ) {}

  async record(usage: RunModelUsage): Promise<void> {
    const costUsd = costOf(this.prices, usage.provider, usage);
    this.observer?.counted(usage, costUsd);
    const envelope = envelopeFor(
      sandboxModelUsage,
      {
        usageId: randomUUID(),
        runId: usage.runId,
        sandboxId: usage.sandboxId,
        provider: usage.provider,
        model: usage.model,
        inputTokens: usage.input,
        outputTokens: usage.output,
        cachedInputTokens: usage.cachedInput,
        cacheWriteInputTokens: usage.cacheWriteInput,
        reported: usage.reported,
        status: usage.status,
        costUsd,
        at: new Date().toISOString(),
      },
      { source: SOURCE },
    );
    await this.repository.transaction(null, async (tx) => tx.publish(envelope));
  }
}
