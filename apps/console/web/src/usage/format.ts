import type { UsageRow } from '../../../src/shared/console-api';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** 41.2K: token counts as people read them (the CLI and the PR summary write them so too). */
export const tokens = (n: number) => compact.format(n);

/** `$0.37`, with the unpriced requests named: their cost is unknown, not nothing. */
export function cost(row: Pick<UsageRow, 'costUsd' | 'unpricedRequests'>): string {
  const priced = `$${row.costUsd.toFixed(2)}`;
  return row.unpricedRequests > 0 ? `${priced} + ${row.unpricedRequests} unpriced` : priced;
}

/** "3 runs, 41.2K tokens, $0.37" */
export function summary(row: UsageRow): string {
  const runs = `${row.runs} run${row.runs === 1 ? '' : 's'}`;
  return `${runs}, ${tokens(row.inputTokens + row.outputTokens)} tokens, ${cost(row)}`;
}
