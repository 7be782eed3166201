import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dataDir, endpoint, forgeToken } from '../../endpoints';
import { CliError, EXIT } from '../../exit';
import { printTable } from '../../output';
import { connectNats, rpcClient, rpcFailure } from '../../stack-connections';
import { DEMO_REPO_NAME, DEMO_REVIEWER, DemoAction, DemoObservation, nextDemoStep } from './demo-scenario';
import { evidencePages, labels, stageTimings, summaryRows } from './demo-summary';
import { DemoWorld } from './demo-world';

interface DemoRecord {
  planId: string;
  startedAt: string;
  finishedAt?: string;
}

const POLL_MS = 500;
const recordFile = () => path.join(dataDir(), 'demo.json');

function readRecord(): DemoRecord | null {
  try {
    return JSON.parse(fs.readFileSync(recordFile(), 'utf8')) as DemoRecord;
  } catch {
    return null;
  }
}

function writeRecord(record: DemoRecord): void {
  fs.writeFileSync(recordFile(), `${JSON.stringify(record, null, 2)}\n`);
}

const EXPLORE = `Explore what happened (in another terminal):
  npx horizon status
  npx horizon pr list --repo ${DEMO_REPO_NAME} --state all
  npx horizon pr diff 1 --repo ${DEMO_REPO_NAME}
  export HORIZON_API_TOKEN=$(npx horizon token create --name me)
  npx horizon work list --repo ${DEMO_REPO_NAME}
Give the agent work of your own (this needs a real model: the scripted one only knows the demo's
tasks and refuses others at once; set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY and npm start again):
  npx horizon work create --repo ${DEMO_REPO_NAME} --title "Add a free-shipping threshold"`;

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'the whole loop on the local forge: plan a project, implement, review, revise, merge, and move on',
    )
    .option('--if-new', 'do nothing when this data directory already ran the demo (what `npm start` does)')
    .option('--timeout <minutes>', 'give up after this long (default 20, or 120 when you review)')
    .option(
      '--review-in-console',
      'leave the reviews to you: the demo names each pull request that waits for you, in the console, and follows what you do (HORIZON_DEMO_REVIEW=console with npm start)',
    )
    .addHelpText(
      'after',
      `
Needs every service running (npm start runs this by itself on a fresh data directory). It
creates ${DEMO_REPO_NAME} on the local forge, asks for a plan of "Shopping cart totals", and then
plays the reviewer "${DEMO_REVIEWER}": it asks for one change on the first pull request and
approves and merges each pull request once it is ready. With --review-in-console you are the
reviewer: ask for the change (or approve) and merge in the console, where each pull request waits
for you. Interrupted, it picks up where it was; it runs once per data directory.
Exit code 0 when every item merged, 1 when one failed, 4 when a service is not reachable.`,
    )
    .action(async (o: { ifNew?: boolean; timeout?: string; reviewInConsole?: boolean }) => {
      const minutes = Number(o.timeout ?? (o.reviewInConsole ? 120 : 20));
      if (!(minutes > 0)) throw new CliError(EXIT.usage, '--timeout must be a positive number of minutes');
      const previous = readRecord();
      if (o.ifNew && previous?.finishedAt) {
        say(`the demo already ran on this data directory (plan ${previous.planId}); serving`);
        process.stdout.write(`${EXPLORE}\n`);
        return;
      }
      if (previous?.finishedAt) {
        // The scripted agent edits the sample repository as it was first imported: a second
        // round on its merged main would fail for a reason that has nothing to do with Horizon.
        process.stdout.write(`${EXPLORE}\n`);
        throw new CliError(
          EXIT.failure,
          `the demo already ran on this installation (plan ${previous.planId}) and ${DEMO_REPO_NAME} holds its changes; it runs once: explore it with the commands above`,
        );
      }
      const conn = await connectNats();
      try {
        const world = new DemoWorld(
          await rpcClient(conn, 'cli-demo'),
          { ingress: await endpoint('ingress'), forge: await endpoint('forge') },
          forgeToken(),
        );
        const planId =
          previous && !previous.finishedAt ? previous.planId : await start(world, !o.reviewInConsole);
        const record: DemoRecord = previous && !previous.finishedAt ? previous : readRecord()!;
        const reviewer: Reviewer = o.reviewInConsole
          ? { type: 'you', console: process.env.CONSOLE_PUBLIC_URL ?? (await endpoint('console')) }
          : { type: 'demo' };
        await drive(world, planId, new Date(record.startedAt), minutes * 60_000, reviewer);
        writeRecord({ ...record, finishedAt: new Date().toISOString() });
        process.stdout.write(`\n${EXPLORE}\n`);
      } catch (err) {
        throw await rpcFailure('demo', err);
      } finally {
        await conn.close();
      }
    });
}

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

/**
 * Creates the sample repository and asks for the plan. The work is owned by the person running
 * the demo (`ownWork`), except when they review it in the console: a pull request's author may
 * not approve it, on the local forge as on GitHub.
 */
async function start(world: DemoWorld, ownWork: boolean): Promise<string> {
  const repo = await world.ensureSampleRepository();
  say(
    `${repo === 'created' ? 'created' : 'using'} the sample repository ${DEMO_REPO_NAME} on the local forge`,
  );
  const person = ownWork ? await world.ensureLocalPerson() : null;
  if (person)
    say(
      `the work is ${person.displayName}'s: pull requests by ${person.login} on the local forge, commits co-authored by them and the agent`,
    );
  const startedAt = new Date();
  const planId = await world.requestPlan(person?.identityId ?? null);
  writeRecord({ planId, startedAt: startedAt.toISOString() });
  say(`asked for a plan of "Shopping cart totals" (work item ${planId})`);
  return planId;
}

/** Who reviews the pull requests: the demo's scripted reviewer, or you in the console. */
type Reviewer = { type: 'demo' } | { type: 'you'; console: string };

async function drive(
  world: DemoWorld,
  planId: string,
  startedAt: Date,
  timeoutMs: number,
  reviewer: Reviewer,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const done = new Set<string>();
  // Printed transitions by identity, not by a time cursor: a plan's `running → done` and its
  // children's first placements commit in one transaction with one timestamp, and a poll can see
  // the plan's before it sees the children.
  const printed = new Set<string>();
  let observed: DemoObservation = { plan: null, children: [] };
  const clock = (at: Date) => `${((at.getTime() - startedAt.getTime()) / 1000).toFixed(1).padStart(6)}s`;

  for (;;) {
    const now = await world.observe(planId);
    observed = now.observed;
    const names = labels(observed);
    for (const t of now.transitions) {
      const key = `${t.workItemId} ${t.at.toISOString()} ${t.from} ${t.to}`;
      if (printed.has(key)) continue;
      printed.add(key);
      const item = [observed.plan, ...observed.children].find((i) => i?.id === t.workItemId);
      const cause = t.cause.length > 110 ? `${t.cause.slice(0, 107)}…` : t.cause;
      say(
        `${clock(t.at)}  ${(names.get(t.workItemId) ?? '?').padEnd(4)} ${item?.title ?? ''}: ${t.from} → ${t.to} (${cause})`,
      );
    }
    const step = nextDemoStep(observed);
    if (step.type === 'finished') break;
    if (step.type === 'failed') {
      const last = now.transitions.at(-1);
      throw new CliError(
        EXIT.failure,
        `the demo stopped: ${step.reason}${last ? ` (${last.cause})` : ''}. See the logs in ${path.join(dataDir(), 'logs')} and \`npm run -s horizon -- pr list --repo ${DEMO_REPO_NAME} --state all\`.`,
      );
    }
    for (const action of step.actions) {
      const key = `${action.type}:${action.pullRequest.number}`;
      if (done.has(key)) continue;
      done.add(key);
      if (reviewer.type === 'you') yourTurn(action, reviewer.console, clock(new Date()));
      else await act(world, action, clock(new Date()));
    }
    if (Date.now() > deadline)
      throw new CliError(
        EXIT.failure,
        `the demo did not finish in time; it stopped at: ${describe(observed)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  const ids = [observed.plan!.id, ...observed.children.map((c) => c.id)];
  const [runs, transitions] = await Promise.all([world.runs(ids), world.transitions(ids)]);
  const total = (Date.now() - startedAt.getTime()) / 1000;
  process.stdout.write('\n');
  say(`every item merged in ${total.toFixed(1)}s:\n`);
  printTable(summaryRows(observed, runs, transitions) as unknown as Record<string, unknown>[], [
    'item',
    'title',
    'state',
    'runs',
    'verification',
    'browser',
    'pr',
  ]);
  process.stdout.write(`\nstages: ${stageTimings(observed, transitions).join(' · ')}\n`);
  const evidence = evidencePages(
    observed,
    runs,
    process.env.CONSOLE_PUBLIC_URL ?? (await endpoint('console')),
  );
  if (evidence.length > 0)
    process.stdout.write(`\nscreenshots of each change beside its base (console): ${evidence.join(' · ')}\n`);
}

async function act(world: DemoWorld, action: DemoAction, at: string): Promise<void> {
  const pr = `${DEMO_REPO_NAME}#${action.pullRequest.number}`;
  if (action.type === 'request_changes') {
    say(`${at}  ${DEMO_REVIEWER} asks for a change on ${pr}: "${action.body}"`);
    await world.requestChanges(action.pullRequest, action.body);
  } else {
    say(`${at}  ${DEMO_REVIEWER} approves and merges ${pr} (${action.pullRequest.url})`);
    await world.approveAndMerge(action.pullRequest);
  }
}

/** What the demo's reviewer would do now, for you to do in the console instead. */
function yourTurn(action: DemoAction, consoleUrl: string, at: string): void {
  const pr = `${DEMO_REPO_NAME}#${action.pullRequest.number}`;
  const page = `${consoleUrl}/pulls/${DEMO_REPO_NAME}/${action.pullRequest.number}`;
  if (action.type === 'request_changes')
    say(
      `${at}  your turn: ${pr} waits for your review at ${page} — ask for a change there (the scripted agent answers "${action.body}"), or approve and merge it`,
    );
  else say(`${at}  your turn: approve and merge ${pr} at ${page}`);
}

function describe(observed: DemoObservation): string {
  const items = [observed.plan, ...observed.children].filter((i) => i !== null);
  return items.map((i) => `${i!.title} ${i!.state}`).join(', ') || 'no plan recorded yet';
}
