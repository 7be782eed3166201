import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { identityGet, usageGroupings, type UsageRollupRow } from '@horizon/contracts';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable } from '../output';
import { withService } from '../stack-connections';
import { requestJson } from './http';

const groupings: readonly string[] = usageGroupings;

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

/**
 * People's names for `--by person` rows (their key is an identity id), from identity-broker; a
 * broker that does not answer leaves the ids, said once on stderr.
 */
async function peopleNames(rows: UsageRollupRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((row) => row.key).filter((key): key is string => key !== null))];
  if (ids.length === 0) return new Map();
  try {
    return await withService('identity-broker', async (rpc) => {
      const found = await Promise.all(ids.map((identityId) => rpc.call(identityGet, { identityId })));
      return new Map(
        found.flatMap(({ identity }) => (identity ? [[identity.id, identity.displayName] as const] : [])),
      );
    });
  } catch (err) {
    process.stderr.write(`horizon: showing identity ids, not names: ${(err as Error).message}\n`);
    return new Map();
  }
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
      const names = o.by === 'person' ? await peopleNames(answer.rows) : new Map<string, string>();
      const name = (key: string | null) => (key === null ? undefined : names.get(key));
      // A plan's or fleet's title, with the start of its id to tell two of one title apart.
      const titled = (row: UsageRollupRow) =>
        row.label && row.key ? `${row.label} (${row.key.slice(0, 8)})` : undefined;
      if (o.json)
        return printJson({
          ...answer,
          rows: answer.rows.map((row) => (name(row.key) ? { ...row, name: name(row.key) } : row)),
        });
      printTable(
        answer.rows.map((row) => ({
          [o.by]: name(row.key) ?? titled(row) ?? row.key ?? '(none)',
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
