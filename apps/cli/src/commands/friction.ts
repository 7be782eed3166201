import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { frictionKinds, type FrictionGroup } from '@horizon/contracts';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable } from '../output';
import { requestJson } from './http';

const kinds: readonly string[] = frictionKinds;

const kind = (v: string) => {
  if (!kinds.includes(v)) throw new InvalidArgumentError(`one of ${kinds.join(', ')}`);
  return v;
};

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of 1 or more');
  return v;
};

/** The latest run that met it, as `<item title> (<run id start>) line 12, 14`. */
function latest(group: FrictionGroup): string {
  const run = group.examples[0];
  if (!run) return '';
  const lines = run.evidence.map((seq) => seq + 1).join(', ');
  return `${run.title} (${run.runId.slice(0, 8)})${lines ? ` line ${lines}` : ''}`;
}

export function frictionCommand(program: Command): void {
  program
    .command('friction')
    .description(
      "the papercuts runs met, grouped across runs, most runs first, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .option('--since <span>', '30d, 12h or an ISO date', '30d')
    .option('--repo <owner/name>', 'only this repository')
    .option('--kind <kind>', kinds.join(' | '), kind)
    .option('--min-runs <n>', 'only papercuts met by at least this many runs', positive, '1')
    .option('--token <token>', 'a work API token (hzn_…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon friction --repo acme/shop --since 7d --min-runs 2')
    .action(
      async (o: {
        since: string;
        repo?: string;
        kind?: string;
        minRuns: string;
        token?: string;
        json?: boolean;
      }) => {
        const q = new URLSearchParams({
          since: o.since,
          minRuns: o.minRuns,
          ...(o.repo ? { repo: o.repo } : {}),
          ...(o.kind ? { kind: o.kind } : {}),
        });
        const answer = await requestJson<{ since: string; groups: FrictionGroup[] }>(
          'ingress',
          `${await endpoint('ingress')}/api/v1/friction?${q}`,
          { headers: { authorization: `Bearer ${apiToken(o.token)}` } },
        );
        if (o.json) return printJson(answer);
        printTable(
          answer.groups.map((g) => ({
            runs: g.runs,
            times: g.occurrences,
            kind: g.kind,
            papercut: g.summary,
            repo: g.repo,
            latest: latest(g),
          })),
          ['runs', 'times', 'kind', 'papercut', 'repo', 'latest'],
        );
      },
    );
}
