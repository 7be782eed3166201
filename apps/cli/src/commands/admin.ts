import type { Command } from 'commander';
import { createDatabase } from '@horizon/db';
import { Publisher } from '@horizon/messaging';
import { API_SCOPES, ApiScope, createApiToken } from '../../../ingress/src/api/api-tokens';
import { replayDelivery } from '../../../ingress/src/replay';
import { CliError, EXIT } from '../exit';
import { printJson } from '../output';
import { connectNats, stackConfig } from '../stack-connections';

const collect = (v: string, all: string[] = []) => [...all, v];

export function adminCommands(program: Command): void {
  program
    .command('token')
    .description('work API tokens')
    .command('create')
    .description('create a work API token; it is printed once (only its hash is stored)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope>', `${API_SCOPES.join(' | ')} (repeatable; default: all)`, collect)
    .option('--expires-days <n>', 'expire after this many days')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ export HORIZON_API_TOKEN=$(horizon token create --name laptop)')
    .action(async (o: { name: string; scope?: string[]; expiresDays?: string; json?: boolean }) => {
      const scopes = o.scope ?? [...API_SCOPES];
      const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
      if (unknown.length)
        throw new CliError(EXIT.usage, `unknown scope ${unknown.join(', ')}: use ${API_SCOPES.join(' or ')}`);
      const days = o.expiresDays === undefined ? undefined : Number(o.expiresDays);
      if (days !== undefined && !(days > 0))
        throw new CliError(EXIT.usage, '--expires-days must be a positive number');
      const db = createDatabase(stackConfig().DATABASE_URL, 1);
      try {
        const created = await createApiToken(db.prisma, {
          name: o.name,
          scopes: scopes as ApiScope[],
          expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000),
        }).catch((err: Error) => {
          throw new CliError(EXIT.unavailable, `cannot reach the database: ${err.message.split('\n')[0]}`);
        });
        if (o.json) return printJson(created);
        process.stderr.write(
          `token ${created.id} "${created.name}" scopes ${created.scopes.join(',')}; shown once, store it now:\n`,
        );
        process.stdout.write(`${created.token}\n`);
      } finally {
        await db.close();
      }
    });

  program
    .command('delivery')
    .description('recorded deliveries (webhooks and local forge events)')
    .command('replay <source> <deliveryId>')
    .description('publish a recorded delivery again, under a new envelope id, so consumers process it again')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\n<source> is github, linear, slack or local (the local forge).\n\nExample:\n  $ horizon delivery replay github 72d3162e-cc78-11e3-81ab-4c9367dc0958',
    )
    .action(async (source: string, deliveryId: string, o: { json?: boolean }) => {
      if (!['github', 'linear', 'slack', 'local'].includes(source))
        throw new CliError(EXIT.usage, `source must be github, linear, slack or local, not "${source}"`);
      const config = stackConfig();
      const db = createDatabase(config.DATABASE_URL, 1);
      const conn = await connectNats(config).catch(async (err: unknown) => {
        await db.close();
        throw err;
      });
      try {
        const result = await replayDelivery(db.prisma, new Publisher(conn), source, deliveryId).catch(
          (err: Error) => {
            throw new CliError(/^no delivery/.test(err.message) ? EXIT.notFound : EXIT.failure, err.message);
          },
        );
        if (o.json) printJson(result);
        else
          process.stdout.write(
            `replayed ${result.originalId} as ${result.envelopeId} on ${result.subject} (stream seq ${result.seq})\n`,
          );
      } finally {
        await conn.close();
        await db.close();
      }
    });
}
