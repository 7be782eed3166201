import { Injectable } from '@nestjs/common';
import type { DataOf, sandboxModelUsage } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { ModelUsageRepository } from '../persistence/model-usage.repository';
import { RunRepository } from '../persistence/run.repository';
import type { UnitOfWork } from './unit-of-work';

/**
 * Keeps the usage sandbox-manager's egress proxy counted, once per request: the run's
 * authoritative accounting. The harness's own figures stay on `Run`, for comparison only.
 */
@Injectable()
export class ModelUsageLedger {
  constructor(
    private readonly runs: RunRepository,
    private readonly usage: ModelUsageRepository,
  ) {}

  async record(uow: UnitOfWork, data: DataOf<typeof sandboxModelUsage>, logger: Logger): Promise<void> {
    if (!(await this.runs.get(uow.tx, data.runId))) {
      logger.warn({ runId: data.runId, usageId: data.usageId }, 'model usage of an unknown run ignored');
      return;
    }
    const { usageId, sandboxId: _sandbox, ...usage } = data;
    await this.usage.record(uow.tx, { id: usageId, ...usage });
  }
}
