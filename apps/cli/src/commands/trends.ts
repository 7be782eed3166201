import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { RepoTrendRow } from '@horizon/contracts';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable } from '../output';
import { requestJson } from './http';

const bucket = (v: string) => {
  if (v !== 'day' && v !== 'week') throw new InvalidArgumentError('day or week');
  return v;
};

/** 7.5, 12, — : a per-run figure as people read it. */
const figure = (n: number | null) => (n === null ? '—' : String(Math.round(n * 10) / 10));

export function trendsCommand(program: Command): void {
  program
    .command('trends')
    .description(
      "how each repository's runs go over time — runs per item, tool calls, tokens, friction and fix rounds per run, merges and time to merge — through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .option('--since <span>', '90d, 12h or an ISO date', '90d')
    .option('--bucket <bucket>', 'day | week', bucket, 'week')
    .option('--repo <owner/name>', 'only this repository')
    .option('--token <token>', 'a work API token (hzn_…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon trends --repo acme/shop --bucket week')
    .action(async (o: { since: string; bucket: string; repo?: string; token?: string; json?: boolean }) => {
      const q = new URLSearchParams({
        since: o.since,
        bucket: o.bucket,
        ...(o.repo ? { repo: o.repo } : {}),
      });
      const answer = await requestJson<{ since: string; rows: RepoTrendRow[] }>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/trends?${q}`,
        { headers: { authorization: `Bearer ${apiToken(o.token)}` } },
      );
      if (o.json) return printJson(answer);
      printTable(
        answer.rows.map((r) => ({
          repo: r.repo,
          [o.bucket]: r.period,
          runs: r.runs,
          'runs/item': figure(r.runsPerItem),
          'tools/run': figure(r.toolCallsPerRun),
          'tokens/run': figure(r.tokensPerRun),
          'friction/run': figure(r.frictionPerRun),
          'fixes/run': figure(r.fixRoundsPerRun),
          merged: r.merged,
          'to merge (min)': figure(r.medianMinutesToMerge),
        })),
        [
          'repo',
          o.bucket,
          'runs',
          'runs/item',
          'tools/run',
          'tokens/run',
          'friction/run',
          'fixes/run',
          'merged',
          'to merge (min)',
        ],
      );
    });
}
