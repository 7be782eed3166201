import type { Command } from 'commander';
import type { FleetChildView, FleetView } from '@horizon/contracts';
import { CliError } from '../exit';
import { apiToken, endpoint } from '../endpoints';
import { printJson, printTable, progressBar, statusLine } from '../output';
import { requestJson } from './http';
import { collect } from '../options';

type FleetDetail = { fleet: FleetView; children: FleetChildView[] };

const WATCH_INTERVAL_MS = 2000;

/** One line: the bar over ended children, counts by state, runs in flight and the ETA. */
export function progressLine(fleet: FleetView): string {
  const { counts, total, inFlight, etaSeconds } = fleet.progress;
  const ended = total - counts.pending - counts.queued - counts.running;
  const states = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const eta = etaSeconds === null ? 'ETA unknown' : etaSeconds === 0 ? 'done' : `ETA ${etaSeconds}s`;
  return `${progressBar(ended, total)} ${fleet.state}: ${states}; ${inFlight} in flight; ${eta}`;
}

function childRow(c: FleetChildView) {
  return {
    repo: c.repo,
    state: c.state,
    pr: c.pullRequest?.url ?? (c.pullRequest ? `#${c.pullRequest.number}` : '-'),
    verification: c.verification ?? '-',
    duration: c.durationMs === null ? '-' : `${(c.durationMs / 1000).toFixed(1)}s`,
    tokens: `${c.inputTokens}/${c.outputTokens}`,
    reason: c.reason ?? '',
  };
}

function fleetRow(f: FleetView) {
  return { id: f.id, title: f.title, state: f.state, cap: f.cap, progress: progressLine(f) };
}

export function fleetCommand(program: Command): void {
  const fleet = program
    .command('fleet')
    .description(
      "one intent over many repositories, one PR each, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    )
    .option('--token <token>', 'a work API token (hzn_…)');
  const auth = () => ({ authorization: `Bearer ${apiToken(fleet.opts<{ token?: string }>().token)}` });
  const url = async (path = '') => `${await endpoint('ingress')}/api/v1/fleets${path}`;
  const get = async <T>(path: string) => requestJson<T>('ingress', await url(path), { headers: auth() });
  const post = async <T>(path: string, body?: unknown) =>
    requestJson<T>('ingress', await url(path), {
      method: 'POST',
      headers: { ...auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  // JSON when asked, or when stdout is no terminal (a script reads it); people get the bar and table.
  const wantsJson = (json?: boolean) => Boolean(json) || !process.stdout.isTTY;

  /** On a terminal, redraws the progress line until nothing waits or runs; then the table. */
  const watch = async (id: string): Promise<FleetDetail> => {
    for (;;) {
      const detail = await get<FleetDetail>(`/${id}`);
      statusLine(progressLine(detail.fleet), detail.fleet.state !== 'running');
      if (detail.fleet.state !== 'running') return detail;
      await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS));
    }
  };
  const show = (detail: FleetDetail, json?: boolean) => {
    if (wantsJson(json)) return printJson(detail);
    process.stdout.write(`${detail.fleet.title} (${detail.fleet.id})\n${progressLine(detail.fleet)}\n`);
    printTable(detail.children.map(childRow), [
      'repo',
      'state',
      'pr',
      'verification',
      'duration',
      'tokens',
      'reason',
    ]);
  };

  fleet
    .command('create')
    .description('fan one intent out over repositories: a list (--repo, repeated) or a glob (--glob)')
    .requiredOption('--title <title>', "each child's title and its PRs'")
    .requiredOption('--prompt <text>', 'what the agent is asked to do in every repository')
    .option('--repo <owner/name>', 'a repository (repeat for more)', collect)
    .option('--glob <pattern>', 'the repositories Horizon knows whose owner/name matches, e.g. acme/svc-*')
    .option('--verify <command>', "run instead of each repository's verify (repeat for more)", collect)
    .option('--cap <n>', 'children running at once', '10')
    .option('--priority <n>', '0 (most urgent) … 9', '5')
    .option('--watch', 'on a terminal, follow the progress until every child ran')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ horizon fleet create --title "Bump lodash to 4.17.21" --prompt "Bump lodash; run the tests" \\\n      --glob "acme/svc-*" --cap 20 --watch',
    )
    .action(
      async (o: {
        title: string;
        prompt: string;
        repo?: string[];
        glob?: string;
        verify?: string[];
        cap: string;
        priority: string;
        watch?: boolean;
        json?: boolean;
      }) => {
        if (Boolean(o.repo) === Boolean(o.glob))
          throw new CliError(
            2,
            'give the repositories with --repo (repeated) or --glob, not both and not neither',
          );
        for (const [flag, value] of [
          ['--cap', o.cap],
          ['--priority', o.priority],
        ] as const)
          if (!/^\d+$/.test(value)) throw new CliError(2, `${flag} must be a whole number, not ${value}`);
        const created = await post<FleetView>('', {
          title: o.title,
          prompt: o.prompt,
          selector: o.repo ? { repos: o.repo } : { glob: o.glob },
          ...(o.verify ? { verify: o.verify } : {}),
          cap: Number(o.cap),
          priority: Number(o.priority),
        });
        if (o.watch && !wantsJson(o.json)) return show(await watch(created.id));
        if (wantsJson(o.json)) return printJson(created);
        printTable([fleetRow(created)], ['id', 'title', 'state', 'cap', 'progress']);
      },
    );

  fleet
    .command('list')
    .description('fleets, newest first, with their progress')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { fleets } = await get<{ fleets: FleetView[] }>('');
      if (wantsJson(o.json)) return printJson(fleets);
      printTable(fleets.map(fleetRow), ['id', 'title', 'state', 'cap', 'progress']);
    });

  fleet
    .command('show <id>')
    .description('a fleet: progress (a bar on a terminal) and its results table')
    .option('--watch', 'on a terminal, follow the progress until every child ran')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { watch?: boolean; json?: boolean }) => {
      show(o.watch && !wantsJson(o.json) ? await watch(id) : await get<FleetDetail>(`/${id}`), o.json);
    });

  fleet
    .command('export <id>')
    .description('the results table (repository, state, PR, verification, duration, tokens) as CSV or JSON')
    .option('--format <format>', 'csv | json', 'csv')
    .action(async (id: string, o: { format: string }) => {
      if (o.format !== 'csv' && o.format !== 'json')
        throw new CliError(2, `--format is csv or json, not ${o.format}`);
      const body = await get<unknown>(`/${id}/results?format=${o.format}`);
      if (o.format === 'json') return printJson(body);
      process.stdout.write(String(body));
    });

  fleet
    .command('cancel <id>')
    .description('stop the fleet: nothing more starts, every child in flight is cancelled')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const cancelled = await post<FleetView>(`/${id}/cancel`);
      if (wantsJson(o.json)) return printJson(cancelled);
      process.stdout.write(`${progressLine(cancelled)}\n`);
    });

  fleet
    .command('retry <id>')
    .description('run every failed or cancelled child again, together')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const answer = await post<{ fleet: FleetView; retried: string[] }>(`/${id}/retry`);
      if (wantsJson(o.json)) return printJson(answer);
      process.stdout.write(
        `retried ${answer.retried.length}: ${answer.retried.join(', ') || '-'}\n${progressLine(answer.fleet)}\n`,
      );
    });
}
