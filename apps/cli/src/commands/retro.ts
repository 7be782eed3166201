import type { Command } from 'commander';
import { apiToken, endpoint } from '../endpoints';
import { printJson } from '../output';
import { requestJson } from './http';

interface RetroCreated {
  id: string;
  papercuts: number;
  rejected: string[];
}

export function retroCommand(program: Command): void {
  program
    .command('retro')
    .description(
      "start a retro: an agent reads the papercuts the repository's runs met and proposes fixes as planned work items, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .requiredOption('--repo <owner/name>', 'the repository')
    .option('--since <span>', '7d, 12h or an ISO date', '7d')
    .option('--owner <identity-id>', 'who owns the proposals')
    .option('--token <token>', 'a work API token (hzn_…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon retro --repo acme/shop --since 14d')
    .action(async (o: { repo: string; since: string; owner?: string; token?: string; json?: boolean }) => {
      const created = await requestJson<RetroCreated>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/retros`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${apiToken(o.token)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ repo: o.repo, since: o.since, ...(o.owner ? { owner: o.owner } : {}) }),
        },
      );
      if (o.json) return printJson(created);
      const left = created.rejected.length
        ? ` (left out, their fixes were rejected before: ${created.rejected.join(', ')})`
        : '';
      process.stdout.write(
        `retro ${created.id} queued on ${o.repo} with ${created.papercuts} papercut(s)${left}\n` +
          `its proposals wait as planned work items: horizon work show ${created.id}\n`,
      );
    });
}
