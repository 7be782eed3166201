import type { UsageRollupRow } from '@horizon/contracts';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * A work item's model usage in one line, "3 runs, 41.2K tokens, $0.37", as the egress proxy
 * counted it. Requests at no known price are named: their cost is unknown, not nothing.
 */
export function usageLine(row: UsageRollupRow): string {
  const tokens = compact.format(row.inputTokens + row.outputTokens);
  const unpriced = row.unpricedRequests > 0 ? ` + ${row.unpricedRequests} unpriced requests` : '';
  return `${row.runs} ${row.runs === 1 ? 'run' : 'runs'}, ${tokens} tokens, $${row.costUsd.toFixed(2)}${unpriced}`;
}
