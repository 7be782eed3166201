import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { harnessNameSchema, harnessNames } from '@horizon/contracts';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable, withProgress } from '../output';
import { requestJson } from './http';
import { collect } from '../options';

interface WorkItem {
  id: string;
  state?: string;
  kind?: string;
  repo?: string;
  title?: string;
  [key: string]: unknown;
}

const priority = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new InvalidArgumentError('a whole number from 0 to 9');
  return n;
};

const harness = (v: string) => {
  const named = harnessNameSchema.safeParse(v);
  if (!named.success) throw new InvalidArgumentError(`one of ${harnessNames.join(', ')}`);
  return named.data;
};

export function workCommand(program: Command): void {
  const work = program
    .command('work')
    .description("work items, through ingress's work API (token: --token or HORIZON_API_TOKEN)")
    .option('--token <token>', 'a work API token (hzn_…)');
  const auth = () => ({ authorization: `Bearer ${apiToken(work.opts<{ token?: string }>().token)}` });

  work
    .command('create')
    .description('ask Horizon for a piece of work on a repository')
    .requiredOption('--repo <owner/name>', 'the repository')
    .requiredOption('--title <title>', 'what to do, in one line')
    .option('--description <text>', 'details and acceptance criteria (markdown)', '')
    .option('--kind <kind>', 'plan | implement | revise | retro', 'implement')
    .option('--blocked-by <id>', 'a work item that must merge first (repeatable)', collect)
    .option('--priority <0-9>', 'lower runs first', priority)
    .option(
      '--harness <name>',
      `the coding-agent CLI its runs use (${harnessNames.join(' | ')}); default: the repository's`,
      harness,
    )
    .option('--no-auto-start', 'create it without starting it')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ horizon work create --repo demo/app --title "Add a sub function" --description "With tests" --harness codex',
    )
    .action(
      async (o: {
        repo: string;
        title: string;
        description: string;
        kind: string;
        blockedBy?: string[];
        priority?: number;
        harness?: string;
        autoStart: boolean;
        json?: boolean;
      }) => {
        const url = `${await endpoint('ingress')}/api/v1/work-items`;
        const body = {
          repo: o.repo,
          title: o.title,
          description: o.description,
          kind: o.kind,
          blockedBy: o.blockedBy ?? [],
          autoStart: o.autoStart,
          ...(o.priority === undefined ? {} : { priority: o.priority }),
          ...(o.harness === undefined ? {} : { harness: o.harness }),
        };
        const created = await withProgress('submitting', () =>
          requestJson<{ id: string; status: string }>('ingress', url, {
            method: 'POST',
            headers: { ...auth(), 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        );
        if (o.json) printJson(created);
        else process.stdout.write(`${created.id}  ${created.status}\n`);
      },
    );

  work
    .command('list')
    .description('work items, newest first')
    .option('--state <state>', 'only this state (e.g. running, in_review)')
    .option('--kind <kind>', 'only this kind')
    .option('--repo <owner/name>', 'only this repository')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON')
    .action(async (o: { state?: string; kind?: string; repo?: string; limit: string; json?: boolean }) => {
      const q = new URLSearchParams({
        limit: o.limit,
        ...(o.state ? { state: o.state } : {}),
        ...(o.kind ? { kind: o.kind } : {}),
        ...(o.repo ? { repo: o.repo } : {}),
      });
      const page = await requestJson<{ items: WorkItem[] }>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/work-items?${q}`,
        { headers: auth() },
      );
      if (o.json) printJson(page.items);
      else printTable(page.items, ['id', 'state', 'kind', 'repo', 'title']);
    });

  work
    .command('start <id>')
    .description(
      "start a planned work item (a retro's proposal, one created with --no-auto-start): it is queued and runs",
    )
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon work start 3f1c2b7e-…')
    .action(async (id: string, o: { json?: boolean }) => {
      const started = await requestJson<{ id: string; status: string }>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/work-items/${encodeURIComponent(id)}/start`,
        { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' },
      );
      if (o.json) printJson(started);
      else
        process.stdout.write(
          `${started.id}  start ${started.status}: it moves from planned to queued, and its run starts when Horizon has room\n`,
        );
    });

  work
    .command('show <id>')
    .description('one work item')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const item = await requestJson<WorkItem>(
        'ingress',
        `${await endpoint('ingress')}/api/v1/work-items/${encodeURIComponent(id)}`,
        { headers: auth() },
      );
      if (o.json) printJson(item);
      else
        for (const [k, v] of Object.entries(item))
          process.stdout.write(`${k.padEnd(14)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    });
}
