import os from 'node:os';
import type { Command } from 'commander';
import { consoleCreateSignInLink, consoleRoles, type ConsoleRole } from '@horizon/contracts';
import { CliError, EXIT } from '../exit';
import { printJson } from '../output';
import { withService } from '../stack-connections';

/** `horizon console link`: a fresh one-time sign-in link to the web console, on stdout. */
export function consoleCommand(program: Command): void {
  program
    .command('console')
    .description('the web console (apps/console, port 8050)')
    .command('link')
    .description('print a one-time link that signs you in to the console (made by the console, over NATS)')
    .option('--as <name>', 'who signs in (created on first use)', os.userInfo().username)
    .option('--role <role>', `${consoleRoles.join(' | ')}`, 'admin')
    .option('--repo <owner/name>', 'the repository the role is for (* for every one)', '*')
    .option('--ttl-minutes <n>', 'how long the link stays valid', '15')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ horizon console link            # then open the printed URL in a browser',
    )
    .action(async (o: { as: string; role: string; repo: string; ttlMinutes: string; json?: boolean }) => {
      if (!(consoleRoles as readonly string[]).includes(o.role))
        throw new CliError(EXIT.usage, `--role must be ${consoleRoles.join(', ')}, not "${o.role}"`);
      const request = consoleCreateSignInLink.data.safeParse({
        person: o.as,
        role: o.role as ConsoleRole,
        repo: o.repo,
        ttlMinutes: Number(o.ttlMinutes),
      });
      if (!request.success)
        throw new CliError(
          EXIT.usage,
          request.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
        );
      const link = await withService('console', (rpc) => rpc.call(consoleCreateSignInLink, request.data));
      if (o.json) return printJson(link);
      process.stderr.write(
        `sign-in link for ${o.as} (${o.role} in ${o.repo}), valid once until ${link.expiresAt}:\n`,
      );
      process.stdout.write(`${link.url}\n`);
    });
}
