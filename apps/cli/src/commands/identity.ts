import os from 'node:os';
import type { Command } from 'commander';
import {
  identityLink,
  identityResolve,
  identityUnlink,
  IdentityView,
  providerSchema,
} from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { CliError, EXIT } from '../exit';
import { printJson } from '../output';
import { withService } from '../stack-connections';
import { UUID } from '../ids';

const PROVIDERS = providerSchema.options;

const withBroker = <T>(fn: (rpc: RpcClient) => Promise<T>) => withService('identity-broker', fn);

function provider(value: string): (typeof PROVIDERS)[number] {
  const parsed = providerSchema.safeParse(value);
  if (!parsed.success)
    throw new CliError(EXIT.usage, `provider must be ${PROVIDERS.join(', ')}, not "${value}"`);
  return parsed.data;
}

function printIdentity(identity: IdentityView): void {
  process.stdout.write(`${identity.id}  ${identity.displayName}\n`);
  for (const l of identity.links)
    process.stdout.write(`  ${l.provider.padEnd(7)} ${l.externalId}${l.login ? ` (${l.login})` : ''}\n`);
}

/**
 * Who is who across Linear, Slack, GitHub and the local forge: work asked for by a linked
 * account is owned by its identity, and its PRs are attributed to that person.
 */
export function identityCommand(program: Command): void {
  const identity = program
    .command('identity')
    .description('people: the Linear, Slack, GitHub and local-forge accounts that are one person');

  identity
    .command('link')
    .description('link an account to a person (a new one named --name, or --identity <id>)')
    .requiredOption('--provider <provider>', PROVIDERS.join(' | '))
    .requiredOption(
      '--external-id <id>',
      "the account's id there (Slack U…, Linear user id, GitHub numeric id)",
    )
    .option('--login <login>', 'its login, where it has one (GitHub, local forge)')
    .option('--name <displayName>', 'a new person with this name')
    .option('--identity <id>', 'an existing person')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Example: Ada asks in Slack and reviews on the local forge; her PRs are then hers.
  $ horizon identity link --name "Ada Lovelace" --provider slack --external-id U02ADA
  $ horizon identity link --identity <id printed above> --provider local --external-id ada --login ada
People can also link their own accounts through OAuth (docs/identity.md).`,
    )
    .action(
      async (o: {
        provider: string;
        externalId: string;
        login?: string;
        name?: string;
        identity?: string;
        json?: boolean;
      }) => {
        if (!o.name === !o.identity)
          throw new CliError(EXIT.usage, 'give exactly one of --name and --identity');
        if (o.identity && !UUID.test(o.identity))
          throw new CliError(
            EXIT.usage,
            `--identity takes the id \`identity show\` prints, not "${o.identity}"`,
          );
        const account = provider(o.provider);
        const linked = await withBroker((rpc) =>
          rpc.call(identityLink, {
            provider: account,
            externalId: o.externalId,
            ...(o.login ? { login: o.login } : {}),
            ...(o.name ? { displayName: o.name } : { identityId: o.identity }),
          }),
        );
        if (o.json) return printJson(linked.identity);
        printIdentity(linked.identity);
      },
    );

  identity
    .command('unlink <identityId> <provider> <externalId>')
    .description("remove one linked account from a person (an operator's CLI acts as an admin)")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The account's OAuth tokens are forgotten with it; the person keeps their other links.
Example:
  $ horizon identity unlink <id> slack U02ADA
In the console, a person unlinks their own accounts under Settings → Identity links.`,
    )
    .action(async (identityId: string, p: string, externalId: string, o: { json?: boolean }) => {
      if (!UUID.test(identityId))
        throw new CliError(
          EXIT.usage,
          `identityId takes the id \`identity show\` prints, not "${identityId}"`,
        );
      const account = provider(p);
      const { identity } = await withBroker((rpc) =>
        rpc.call(identityUnlink, {
          identityId,
          provider: account,
          externalId,
          // Whoever can reach NATS from here operates the stack; the broker logs this name.
          actor: { identityId: null, admin: true, name: `cli (${os.userInfo().username})` },
        }),
      );
      if (o.json) return printJson(identity);
      process.stderr.write(`unlinked ${p} account ${externalId}\n`);
      printIdentity(identity);
    });

  identity
    .command('show <provider> <externalId>')
    .description('the person an account is linked to')
    .option('--json', 'print JSON')
    .action(async (p: string, externalId: string, o: { json?: boolean }) => {
      const account = provider(p);
      const found = await withBroker((rpc) => rpc.call(identityResolve, { provider: account, externalId }));
      if (!found.identity)
        throw new CliError(EXIT.notFound, `no person is linked to ${p} account ${externalId}`);
      if (o.json) return printJson(found.identity);
      printIdentity(found.identity);
    });
}
