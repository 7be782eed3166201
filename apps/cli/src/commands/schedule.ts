import type { Command } from 'commander';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable } from '../output';
import { requestJson } from './http';

interface Schedule {
  id: string;
  repo: string;
  name: string;
  cron: string;
  timezone: string;
  paused: boolean;
  nextTickAt: string | null;
  lastFiring: { tickAt: string; skippedTicks: number; workItemId: string } | null;
  origin: string;
  [key: string]: unknown;
}

/** A schedule as one table row: when it fires next and when it last did. */
function row(s: Schedule) {
  return {
    id: s.id,
    repo: s.repo,
    name: s.name,
    cron: `${s.cron} (${s.timezone})`,
    state: s.paused ? 'paused' : 'active',
    next: s.nextTickAt ?? '-',
    last: s.lastFiring ? s.lastFiring.tickAt : '-',
    origin: s.origin,
  };
}

export function scheduleCommand(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      "schedules that start work on a cron, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .option('--token <token>', 'a work API token (hzn_…)');
  const auth = () => ({ authorization: `Bearer ${apiToken(schedule.opts<{ token?: string }>().token)}` });
  const url = async (path = '') => `${await endpoint('ingress')}/api/v1/schedules${path}`;
  const print = (s: Schedule, json?: boolean) => {
    if (json) printJson(s);
    else printTable([row(s)], ['id', 'repo', 'name', 'cron', 'state', 'next', 'last', 'origin']);
  };

  schedule
    .command('create')
    .description('start a work item at every tick of a cron expression')
    .requiredOption('--repo <owner/name>', 'the repository')
    .requiredOption('--name <name>', 'unique in the repository, e.g. nightly-deps')
    .requiredOption(
      '--cron <expression>',
      '5 fields (minute hour day month weekday), or 6 with seconds first',
    )
    .requiredOption('--title <title>', "the work item's title")
    .requiredOption('--prompt <text>', 'what the agent is asked to do')
    .option('--timezone <zone>', 'an IANA time zone', 'UTC')
    .option(
      '--flavour <flavour>',
      'plan | implement | retro (the 7 days of papercuts before each tick)',
      'implement',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ horizon schedule create --repo demo/app --name nightly-deps --cron "0 3 * * *" \\\n      --timezone Europe/Paris --title "Update dependencies" --prompt "Bump patch versions; run the tests"',
    )
    .action(
      async (o: {
        repo: string;
        name: string;
        cron: string;
        title: string;
        prompt: string;
        timezone: string;
        flavour: string;
        json?: boolean;
      }) => {
        const { json, ...body } = o;
        const created = await requestJson<Schedule>('ingress', await url(), {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        print(created, json);
      },
    );

  schedule
    .command('list')
    .description('schedules, with their next tick and last firing')
    .option('--repo <owner/name>', 'only this repository')
    .option('--json', 'print JSON')
    .action(async (o: { repo?: string; json?: boolean }) => {
      const q = o.repo ? `?${new URLSearchParams({ repo: o.repo })}` : '';
      const { schedules } = await requestJson<{ schedules: Schedule[] }>('ingress', await url(q), {
        headers: auth(),
      });
      if (o.json) printJson(schedules);
      else printTable(schedules.map(row), ['id', 'repo', 'name', 'cron', 'state', 'next', 'last', 'origin']);
    });

  for (const [verb, description] of [
    ['pause', 'stop a schedule firing until it is resumed'],
    ['resume', 'fire again from the next tick after now (ticks passed while paused are not made up)'],
  ] as const) {
    schedule
      .command(`${verb} <id>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (id: string, o: { json?: boolean }) => {
        const updated = await requestJson<Schedule>(
          'ingress',
          await url(`/${encodeURIComponent(id)}/${verb}`),
          {
            method: 'POST',
            headers: auth(),
          },
        );
        print(updated, o.json);
      });
  }

  schedule
    .command('delete <id>')
    .description('delete a schedule made through the API (one in .horizon/config.yaml is removed there)')
    .action(async (id: string) => {
      await requestJson('ingress', await url(`/${encodeURIComponent(id)}`), {
        method: 'DELETE',
        headers: auth(),
      });
      process.stdout.write(`${id}  deleted\n`);
    });
}
