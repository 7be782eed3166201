import type { Command } from 'commander';
import { DeliverPolicy } from '@nats-io/jetstream';
import { runFinished, runProgress } from '@horizon/contracts';
import type { Envelope } from '@horizon/contracts';
import { CliError, EXIT } from '../exit';
import { connectNats } from '../stack-connections';
import { UUID } from '../ids';

export function runCommand(program: Command): void {
  const run = program.command('run').description('runs of work items');
  run
    .command('logs <runId>')
    .description("a run's progress events (hzn.evt.run.progress) from JetStream, oldest first")
    .option('-f, --follow', 'keep printing new events until the run finishes')
    .option('--json', 'print each event envelope as one JSON line')
    .addHelpText(
      'after',
      '\nWith --follow the exit code is 0 when the run succeeded, 1 when it did not.\n\nExample:\n  $ horizon run logs 6f1c…-… --follow',
    )
    .action(async (runId: string, o: { follow?: boolean; json?: boolean }) => {
      if (!UUID.test(runId)) throw new CliError(EXIT.usage, `"${runId}" is not a run id (a UUID)`);
      const conn = await connectNats();
      try {
        const stream = conn.naming.stream('EVT');
        const consumer = await conn.js.consumers.get(stream, {
          // A string, not an array: the array form needs NATS 2.10, a string works from 2.9 on.
          filter_subjects: conn.naming.subject('hzn.evt.run.>'),
          deliver_policy: DeliverPolicy.All,
        });
        const pending = (await consumer.info(true)).num_pending;
        const messages = await consumer.consume();
        let seen = 0;
        let outcome: string | null = null;
        for await (const m of messages) {
          seen++;
          const e = m.json<Envelope<{ runId?: string }>>();
          if (e.data?.runId === runId) {
            if (o.json) process.stdout.write(`${JSON.stringify(e)}\n`);
            else if (e.type === runProgress.type) {
              const d = runProgress.data.parse(e.data);
              process.stdout.write(
                `${e.occurredAt.slice(11, 19)}  ${d.phase.padEnd(12)} ${d.kind.padEnd(14)} ${d.summary}\n`,
              );
            } else if (e.type === runFinished.type) {
              const d = runFinished.data.parse(e.data);
              process.stdout.write(
                `${e.occurredAt.slice(11, 19)}  finished     ${d.outcome}${d.reason ? `: ${d.reason}` : ''} (${(d.durationMs / 1000).toFixed(1)}s)\n`,
              );
            } else process.stdout.write(`${e.occurredAt.slice(11, 19)}  ${e.type}\n`);
            if (e.type === runFinished.type) outcome = (e.data as { outcome: string }).outcome;
          }
          if (outcome || (!o.follow && seen >= pending)) break;
        }
        if (o.follow && outcome && outcome !== 'succeeded')
          throw new CliError(EXIT.failure, `run ${runId} ${outcome}`);
      } finally {
        await conn.close();
      }
    });
}
