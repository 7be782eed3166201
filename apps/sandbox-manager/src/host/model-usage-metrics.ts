import { counter } from '@horizon/observability';
import type { Counter, Registry } from 'prom-client';
import type { ModelUsageObserver, RunModelUsage } from '../application/model-usage';

/**
 * Model tokens and cost as Prometheus counters by provider and model, counted where the egress
 * proxy sees them. An unpriced request adds no cost and counts under `priced="false"`, so a
 * dashboard shows that the cost total is short rather than silently low.
 */
export class ModelUsageMetrics implements ModelUsageObserver {
  private readonly tokens: Counter<string>;
  private readonly cost: Counter<string>;
  private readonly requests: Counter<string>;

  constructor(registry: Registry) {
    this.tokens = counter(registry, 'hzn_model_tokens_total', 'Model tokens the providers reported', [
      'provider',
      'model',
      'kind',
    ]);
    this.cost = counter(registry, 'hzn_model_cost_usd_total', 'Model cost at the configured prices, USD', [
      'provider',
      'model',
    ]);
    this.requests = counter(registry, 'hzn_model_requests_total', 'Model requests through the egress proxy', [
      'provider',
      'model',
      'priced',
    ]);
  }

  counted(usage: RunModelUsage, costUsd: number | null): void {
    const labels = { provider: usage.provider, model: usage.model ?? 'unknown' };
    this.requests.inc({ ...labels, priced: String(costUsd !== null) });
    const kinds = {
      input: usage.input,
      output: usage.output,
      cached_input: usage.cachedInput,
      cache_write_input: usage.cacheWriteInput,
    };
    for (const [kind, value] of Object.entries(kinds))
      if (value > 0) this.tokens.inc({ ...labels, kind }, value);
    if (costUsd) this.cost.inc(labels, costUsd);
  }
}
