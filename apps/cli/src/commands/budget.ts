import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { apiToken, endpoint } from '../endpoints';
import { CliError, EXIT } from '../exit';
import { requestJson } from './http';

const dollars = (v: string) => {
  const n = Number(v.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('a positive amount of US dollars, e.g. 2 or $2.50');
  return n;
};

const wholeNumber = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`a positive whole number of ${what}`);
  return n;
};
const tokens = wholeNumber('tokens');
const minutes = wholeNumber('minutes');

/** `horizon budget continue|stop <item>`: the owner's answer to an item waiting at a budget. */
export function budgetCommand(program: Command): void {
  const budget = program
    .command('budget')
    .description(
      "answer a work item waiting at a budget, through ingress's work API (token: --token or HORIZON_API_TOKEN)",
    );
  const answer = async (id: string, body: Record<string, unknown>, token?: string) => {
    await requestJson(
      'ingress',
      `${await endpoint('ingress')}/api/v1/work-items/${encodeURIComponent(id)}/budget`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken(token)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
  };
  budget
    .command('continue <item>')
    .description('let its held run go on (or the item start) with more to spend')
    .option('--extra <usd>', 'US dollars more, e.g. 2 or $2.50', dollars)
    .option('--extra-tokens <n>', 'tokens more', tokens)
    .option('--extra-minutes <n>', 'minutes more of wall time (a run at its time limit)', minutes)
    .option('--token <token>', 'a work API token (hzn_…)')
    .addHelpText('after', '\nExample:\n  $ horizon budget continue 3f1c… --extra 2')
    .action(
      async (
        id: string,
        o: { extra?: number; extraTokens?: number; extraMinutes?: number; token?: string },
      ) => {
        if (o.extra === undefined && o.extraTokens === undefined && o.extraMinutes === undefined)
          throw new CliError(
            EXIT.usage,
            'budget continue: say how much more, --extra <usd>, --extra-tokens <n> and/or --extra-minutes <n>',
          );
        await answer(
          id,
          {
            action: 'continue',
            ...(o.extra !== undefined ? { extraUsd: o.extra } : {}),
            ...(o.extraTokens !== undefined ? { extraTokens: o.extraTokens } : {}),
            ...(o.extraMinutes !== undefined ? { extraMinutes: o.extraMinutes } : {}),
          },
          o.token,
        );
        process.stdout.write(`asked ${id} to continue\n`);
      },
    );
  budget
    .command('stop <item>')
    .description('end its held run where it stands, its work committed and pushed to its branch')
    .option('--token <token>', 'a work API token (hzn_…)')
    .action(async (id: string, o: { token?: string }) => {
      await answer(id, { action: 'stop' }, o.token);
      process.stdout.write(`asked ${id} to stop\n`);
    });
}
