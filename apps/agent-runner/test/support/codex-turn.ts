import { createInterface } from 'node:readline';
import { sandboxHarnesses, type HarnessTask } from '../../src/harness';

/**
 * One Codex turn inside a sandbox, for codex-sandbox.test.ts (bundled and bound in read-only
 * by the test): the task as one JSON line on stdin; Codex's pid, each harness event and then
 * the result as JSON lines on stdout. The runner's own entry (main.ts) starts OpenCode until a run can
 * choose its harness.
 */
async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const task = JSON.parse(String((await lines.next()).value)) as HarnessTask;
  process.stdin.destroy();
  const proxyEnv = Object.fromEntries(
    ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'].flatMap((name) =>
      process.env[name] ? [[name, process.env[name]!]] : [],
    ),
  );
  const run = sandboxHarnesses.codex().start({
    ...task,
    env: { ...proxyEnv, ...task.env },
  });
  process.on('SIGTERM', () => void run.cancel());
  process.stdout.write(`${JSON.stringify({ pid: run.pid })}\n`);
  for await (const event of run.events) process.stdout.write(`${JSON.stringify({ event })}\n`);
  process.stdout.write(`${JSON.stringify({ result: await run.result })}\n`);
}

void main();
