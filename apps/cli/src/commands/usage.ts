import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { UsageRollupRow } from '@horizon/contracts';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable } from '../output';
import { requestJson } from './http';

const groupings = ['run', 'item', 'repo', 'person', 'day'];

const grouping = (v: string) => {
  if (!groupings.includes(v)) throw new InvalidArgumentError(`one of ${groupings.join(', ')}`);
  return v;
};

/** 41.2K, 1.2M: token counts as people read them. */
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const tokenCount = (n: number) => compact.format(n);

/** `$0.37`, with the unpriced requests named: their cost is unknown, not nothing. */
function cost(row: Pick<UsageRollupRow, 'costUsd' | 'unpricedRequests'>): string {
  const priced = `$${row.costUsd.toFixed(2)}`;
  return row.unpricedRequests > 0 ? `${priced} + ${row.unpricedRequests} unpriced` : priced;
}

export function usageCommand(program: Command): void {
  program
    .command('usage')
    .description(
      "model tokens and cost as the egress proxy counted them, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .option('--by <grouping>', groupings.join(' | '), grouping, 'repo')
    .option('--since <span>', '30d, 12h or an ISO date', '30d')
    .option('--repo <owner/name>', 'only this repository')
    .option('--token <token>', 'a work API token (hzn_…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon usage --by person --since 7d')
    .action(async (o: { by: string; since: string; repo?: string; token?: string; json?: boolean }) => {
      const q = new URLSearchParams({ by: o.by, since: o.since, ...(o.repo ? { repo: o.repo } : {}) });
      const answer = await requestJson<{ since: string; rows: UsageRollupRow[] }>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/usage?${q}`,
        { headers: { authorization: `Bearer ${apiToken(o.token)}` } },
      );
      if (o.json) return printJson(answer);
      printTable(
        answer.rows.map((row) => ({
          [o.by]: row.key ?? '(none)',
          runs: row.runs,
          requests: row.requests,
          input: tokenCount(row.inputTokens),
          cached: tokenCount(row.cachedInputTokens),
          output: tokenCount(row.outputTokens),
          cost: cost(row),
          'harness tokens': tokenCount(row.harnessInputTokens + row.harnessOutputTokens),
        })),
        [o.by, 'runs', 'requests', 'input', 'cached', 'output', 'cost', 'harness tokens'],
      );
    });
}
