import type { Command } from 'commander';
import {
  API_SCOPES,
  ingressCreateApiToken,
  ingressListApiTokens,
  ingressReplayDelivery,
  ingressRevokeApiToken,
} from '@horizon/contracts';
import type { ApiScope, ApiTokenSummary } from '@horizon/contracts';
import { LocalForgeClient } from '@horizon/local-forge-client';
import { endpoint, forgeToken } from '../endpoints';
import { CliError, EXIT } from '../exit';
import { printJson, printTable } from '../output';
import { withService } from '../stack-connections';
import { call as callForge } from './pr';
import { UUID } from '../ids';
import { collect } from '../options';

function tokenState(t: ApiTokenSummary): string {
  if (t.revokedAt) return `revoked ${t.revokedAt}`;
  if (t.expiresAt && new Date(t.expiresAt) <= new Date()) return 'expired';
  return 'active';
}

export function adminCommands(program: Command): void {
  const token = program.command('token').description('work API tokens (made by ingress, over NATS)');

  token
    .command('list')
    .description('every work API token, revoked ones included (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { tokens } = await withService('ingress', (rpc) => rpc.call(ingressListApiTokens, {}));
      if (o.json) return printJson(tokens);
      printTable(
        tokens.map((t) => ({
          ...t,
          scopes: t.scopes.join(','),
          state: tokenState(t),
          lastUsed: t.lastUsedAt ?? 'never',
          expires: t.expiresAt ?? 'never',
        })),
        ['id', 'name', 'scopes', 'state', 'lastUsed', 'expires'],
      );
    });

  token
    .command('revoke <id>')
    .description('revoke a work API token now; the work API refuses it from then on')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      if (!UUID.test(id))
        throw new CliError(EXIT.usage, `revoke takes the id \`token list\` prints, not "${id}"`);
      const outcome = await withService('ingress', (rpc) => rpc.call(ingressRevokeApiToken, { id }));
      if (o.json) return printJson(outcome);
      process.stdout.write(
        outcome.revoked
          ? `revoked token ${id} "${outcome.token.name}"\n`
          : `token ${id} "${outcome.token.name}" was already revoked (${outcome.token.revokedAt})\n`,
      );
    });

  token
    .command('create')
    .description('create a work API token; it is printed once (ingress stores only its hash)')
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
      const created = await withService('ingress', (rpc) =>
        rpc.call(ingressCreateApiToken, {
          name: o.name,
          scopes: scopes as ApiScope[],
          expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
        }),
      );
      if (o.json) return printJson(created);
      process.stderr.write(
        `token ${created.id} "${created.name}" scopes ${created.scopes.join(',')}; shown once, store it now:\n`,
      );
      process.stdout.write(`${created.token}\n`);
    });

  program
    .command('delivery')
    .description('recorded deliveries (webhooks and local forge events)')
    .command('replay <source> <deliveryId>')
    .description(
      'publish a recorded delivery again, under a new envelope id, so consumers process it again (done by ingress)',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\n<source> is github, linear, slack, trigger (a webhook trigger: <name>:<delivery id>) or local (the local forge).\n\nExample:\n  $ horizon delivery replay github 72d3162e-cc78-11e3-81ab-4c9367dc0958',
    )
    .action(async (source: string, deliveryId: string, o: { json?: boolean }) => {
      const result = await replay(source, deliveryId);
      if (o.json) printJson(result);
      else
        process.stdout.write(
          `replayed ${result.originalId} as ${result.envelopeId} on ${result.subject}${'seq' in result ? ` (stream seq ${result.seq})` : ''}\n`,
        );
    });
}

/** Webhook deliveries are ingress's to replay (RPC); the local forge replays its own (its API). */
async function replay(source: string, deliveryId: string) {
  if (source === 'local') {
    const url = await endpoint('forge');
    const forge = new LocalForgeClient({ baseUrl: url, token: forgeToken() });
    return callForge('replaying', url, () => forge.replayDelivery(deliveryId));
  }
  const webhook = ingressReplayDelivery.data.shape.source.safeParse(source);
  if (!webhook.success)
    throw new CliError(EXIT.usage, `source must be github, linear, slack, trigger or local, not "${source}"`);
  return withService('ingress', (rpc) =>
    rpc.call(ingressReplayDelivery, { source: webhook.data, deliveryId }),
  );
}
