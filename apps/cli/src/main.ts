import { Command, CommanderError } from 'commander';
import { adminCommands } from './commands/admin';
import { budgetCommand } from './commands/budget';
import { consoleCommand } from './commands/console';
import { demoCommand } from './commands/demo/demo.command';
import { identityCommand } from './commands/identity';
import { prCommand } from './commands/pr';
import { runCommand } from './commands/run';
import { scheduleCommand } from './commands/schedule';
import { fleetCommand } from './commands/fleet';
import { statusCommand } from './commands/status';
import { triggerCommand } from './commands/trigger';
import { workCommand } from './commands/work';
import { usageCommand } from './commands/usage';
import { frictionCommand } from './commands/friction';
import { retroCommand } from './commands/retro';
import { trendsCommand } from './commands/trends';
import { CliError, EXIT } from './exit';

const program = new Command('horizon')
  .description('Drive a local Horizon: services, work items, runs, and pull requests on the local forge.')
  .addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 failure, 2 usage error, 3 not found, 4 service unavailable.

Getting started:
  $ npm start                                   # every service, in another terminal
  $ horizon console link                        # sign in to the web console
  $ horizon status                              # is everything ready?
  $ export HORIZON_API_TOKEN=$(horizon token create --name me)
  $ horizon work create --repo demo/app --title "Add a sub function"
  $ horizon work list
  $ horizon pr list --repo demo/app

Every command has --help with examples, e.g. horizon pr --help.`,
  )
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`horizon: ${text.replace(/^error: /, '')}`) });

statusCommand(program);
workCommand(program);
scheduleCommand(program);
fleetCommand(program);
usageCommand(program);
frictionCommand(program);
retroCommand(program);
trendsCommand(program);
budgetCommand(program);
runCommand(program);
prCommand(program);
adminCommands(program);
triggerCommand(program);
identityCommand(program);
consoleCommand(program);
demoCommand(program);
for (const c of program.commands) c.exitOverride();
for (const c of program.commands.flatMap((c) => c.commands)) c.exitOverride();

program.parseAsync(process.argv).then(
  () => process.exit(EXIT.ok),
  (err: unknown) => {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    if (err instanceof CliError) {
      process.stderr.write(`horizon: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`horizon: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
