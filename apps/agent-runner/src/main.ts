import { createInterface } from 'node:readline';
import { agentRunSpecSchema, runnerInputSchema } from '@horizon/contracts';
import { sandboxHarnesses } from './harness';
import { emptyReport } from '@horizon/runner-launch';
import { runAgent } from './runner/agent-run';
import { RunDeadline } from './runner/deadline';
import { BrowserCheckInbox } from './runner/browser-verification';
import { FollowUpInbox } from './runner/follow-ups';
import { Transcript } from './runner/transcript';

/**
 * The agent-runner, as run inside a sandbox by `launchAgentRun`: JSON lines on stdin (the
 * run spec, then follow-ups while the run goes on), the transcript and the final report as
 * JSON lines on stdout. SIGTERM cancels the run (it still reports); the end of stdin only
 * means no more follow-ups. Bundled into one file by `bundleRunner`.
 */

/** Sandbox variables the agent's commands need (the proxy, identity of the sandbox). */
const AGENT_ENV_PASSTHROUGH = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'TMPDIR',
  'USER',
  'HORIZON_SANDBOX_ID',
  'HORIZON_SANDBOX_FLAVOUR',
];

async function main(): Promise<void> {
  const transcript = new Transcript((line) => process.stdout.write(`${line}\n`));
  const controller = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => controller.abort());

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Nothing more is read after the report: an open stdin would keep the process alive.
  const stopReading = () => {
    lines.close();
    process.stdin.destroy();
  };
  const stdin = lines[Symbol.asyncIterator]();
  const first = await stdin.next();
  const parsed = agentRunSpecSchema.safeParse(first.done ? undefined : safeJson(first.value));
  if (!parsed.success) {
    transcript.report(emptyReport('infra_error', `invalid run spec: ${parsed.error.message}`));
    process.exitCode = 2;
    stopReading();
    return;
  }
  const followUps = new FollowUpInbox();
  const saveAndStop = new AbortController();
  const deadline = new RunDeadline(Date.parse(parsed.data.deadlineAt));
  const browserChecks = new BrowserCheckInbox();
  void (async () => {
    for (let line = await stdin.next(); !line.done; line = await stdin.next()) {
      const input = runnerInputSchema.safeParse(safeJson(line.value));
      if (!input.success)
        process.stderr.write(`agent-runner: unreadable input line: ${line.value.slice(0, 200)}\n`);
      else if (input.data.type === 'save_and_stop') saveAndStop.abort(input.data.reason);
      else if (input.data.type === 'deadline') deadline.moveTo(Date.parse(input.data.deadlineAt));
      else if (input.data.type === 'browser_checked') browserChecks.answer(input.data);
      else followUps.add(input.data);
    }
  })().catch(() => undefined);
  const spec = parsed.data;
  const env = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const agentEnv: Record<string, string> = {
    ...Object.fromEntries(
      AGENT_ENV_PASSTHROUGH.filter((name) => env[name]).map((name) => [name, env[name]!]),
    ),
    HORIZON_RUN_ID: spec.runId,
    HORIZON_WORK_ITEM_ID: spec.workItemId,
    HORIZON_RUN_BRANCH: spec.branch,
  };
  const report = await runAgent({
    spec,
    harness: sandboxHarnesses[spec.harness](),
    transcript,
    workdir: process.cwd(),
    env,
    agentEnv,
    signal: controller.signal,
    saveAndStop: saveAndStop.signal,
    followUps,
    deadline,
    browserChecks,
  });
  transcript.report(report);
  stopReading();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `agent-runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
