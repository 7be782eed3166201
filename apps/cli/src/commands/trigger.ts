import fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { apiToken, endpoint } from '../endpoints';
import { CliError, EXIT } from '../exit';
import { printJson, printTable } from '../output';
import { requestJson } from './http';
import { collect } from '../options';

interface Trigger {
  id: string;
  name: string;
  format: string;
  path: string;
  repo: string;
  kind: string;
  [key: string]: unknown;
}

const json = (what: string) => (v: string) => {
  try {
    return JSON.parse(v) as unknown;
  } catch (err) {
    throw new InvalidArgumentError(`${what} must be JSON: ${(err as Error).message}`);
  }
};
const fileText = (flag: string, file: string) => {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(EXIT.usage, `${flag}: cannot read ${file}: ${(err as Error).message}`);
  }
};

const SIGNING_HELP = `
A horizon trigger's sender signs each delivery with the secret:
  X-Horizon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
and may name it with X-Horizon-Delivery (a replay of the same id starts nothing twice).
A sentry trigger takes the Sentry integration's client secret and its issue alerts as they come.

Examples:
  $ horizon trigger create --name latency --repo acme/checkout \\
      --filter '{"==": [{"var": "action"}, "firing"]}' \\
      --title 'Latency alert on {{alert.service}}' --prompt 'p99 is {{alert.p99}} ms. Find out why.'
  $ horizon trigger create --name sentry-web --format sentry --repo acme/web --secret-file sentry.secret`;

export function triggerCommand(program: Command): void {
  const trigger = program
    .command('trigger')
    .description(
      "webhook triggers (POST /webhooks/generic/<name>), through ingress's work API (token with triggers:manage)",
    )
    .option('--token <token>', 'a work API token (hzn_…)');
  const auth = () => ({ authorization: `Bearer ${apiToken(trigger.opts<{ token?: string }>().token)}` });
  const url = async (path = '') => `${await endpoint('ingress')}/api/v1/triggers${path}`;

  trigger
    .command('create')
    .description('define a trigger; its signing secret is printed once (ingress keeps it sealed)')
    .requiredOption(
      '--name <name>',
      'lower-case letters, digits and dashes: the URL is /webhooks/generic/<name>',
    )
    .requiredOption('--repo <owner/name>', 'where the work happens')
    .option('--format <format>', 'horizon | sentry', 'horizon')
    .option('--kind <kind>', 'implement | plan', 'implement')
    .option('--filter <json-logic>', 'a JSON-logic rule the payload must pass', json('--filter'))
    .option('--title <template>', "Mustache template for the item's title (sentry: built in)")
    .option('--prompt <template>', "Mustache template for the item's description; reads at least one field")
    .option('--prompt-file <file>', 'the prompt template from a file (- for stdin)')
    .option('--label <label>', 'a label for its work items (repeatable)', collect)
    .option('--secret-file <file>', 'the signing secret from a file (- for stdin); sentry: the client secret')
    .option('--json', 'print JSON')
    .addHelpText('after', SIGNING_HELP)
    .action(
      async (o: {
        name: string;
        repo: string;
        format: string;
        kind: string;
        filter?: unknown;
        title?: string;
        prompt?: string;
        promptFile?: string;
        label?: string[];
        secretFile?: string;
        json?: boolean;
      }) => {
        if (o.prompt !== undefined && o.promptFile !== undefined)
          throw new CliError(EXIT.usage, 'give --prompt or --prompt-file, not both');
        const body = {
          name: o.name,
          repo: o.repo,
          format: o.format,
          kind: o.kind,
          labels: o.label ?? [],
          ...(o.filter === undefined ? {} : { filter: o.filter }),
          ...(o.title === undefined ? {} : { titleTemplate: o.title }),
          ...(o.prompt === undefined ? {} : { promptTemplate: o.prompt }),
          ...(o.promptFile === undefined ? {} : { promptTemplate: fileText('--prompt-file', o.promptFile) }),
          ...(o.secretFile === undefined ? {} : { secret: fileText('--secret-file', o.secretFile).trim() }),
        };
        const created = await requestJson<{ trigger: Trigger; secret: string }>('ingress', await url(), {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (o.json) return printJson(created);
        process.stderr.write(
          `trigger ${created.trigger.name} (${created.trigger.format}) posts to ${await endpoint('ingress')}${created.trigger.path}; its secret, shown once:\n`,
        );
        process.stdout.write(`${created.secret}\n`);
      },
    );

  trigger
    .command('list')
    .description('every trigger, by name')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { triggers } = await requestJson<{ triggers: Trigger[] }>('ingress', await url(), {
        headers: auth(),
      });
      if (o.json) printJson(triggers);
      else printTable(triggers, ['name', 'format', 'repo', 'kind', 'path']);
    });

  trigger
    .command('delete <name>')
    .description('delete a trigger: its deliveries are refused (404) from then on')
    .action(async (name: string) => {
      await requestJson('ingress', await url(`/${encodeURIComponent(name)}`), {
        method: 'DELETE',
        headers: auth(),
      });
      process.stdout.write(`deleted ${name}\n`);
    });
}
