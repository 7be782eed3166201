// Run start-up benchmark (`npm run bench -- run [runs per harness]`), with real bwrap sandboxes,
// the bundled agent-runner, each harness (OpenCode, Codex, Claude Code) with its pinned binary,
// the scripted model server and a git http-backend forge, the same task for each harness:
//  1. accepted provision event → harness process running (the runner's `harness.started`):
//     boot from a warm snapshot, move to the run branch, exec the runner, spawn the harness;
//  2. accepted provision event → the harness's first model request, and the whole run, per
//     harness side by side;
//  3. the sandbox boot floor in the same run: create a sandbox and run `true` in it;
//  4. the runner's own overhead per run: its time outside the harness and the checks
//     (start, git, commit, push, reporting), from each run's report.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HarnessName, ModelProvider } from '@horizon/contracts';
import { launchAgentRun, prepareRunnerRuntime } from '@horizon/runner-launch';
import {
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  type SandboxSpec,
} from '@horizon/sandbox';
import { ScriptedModelServer, startGitServer, git } from '@horizon/testing';

const runs = Number(process.argv[2] ?? 10);
/** Each harness with the provider wire it speaks and the same task in its own tools' words. */
const harnesses: { name: HarnessName; provider: ModelProvider; script: string }[] = [
  { name: 'opencode', provider: 'openai-compatible', script: 'write-and-run.yaml' },
  { name: 'codex', provider: 'openai', script: 'codex-write-and-run.yaml' },
  { name: 'claude-code', provider: 'anthropic', script: 'claude-write-and-run.yaml' },
];
const token = `ghs_${randomUUID().replace(/-/g, '')}`;
const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
const remoteInside = 'http://127.0.0.1:3128/_horizon/git/acme/app.git';
const person = { name: 'Horizon Agent', email: 'agent@horizon.invalid' };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number) => Math.round(n);

async function main(): Promise<void> {
  const dataDir = process.env.HORIZON_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hzn-bench-data-'));
  const scratch = mkdtempSync(join(tmpdir(), 'hzn-bench-run-'));
  // The sandbox uid must walk through it to the driver's state folder.
  chmodSync(scratch, 0o711);
  const origin = join(scratch, 'origin');
  const bare = join(scratch, 'forge/acme/app.git');
  mkdirSync(origin, { recursive: true });
  git(origin, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(origin, 'README.md'), '# app\n');
  mkdirSync(join(origin, '.horizon'));
  writeFileSync(join(origin, '.horizon/config.yaml'), 'verify:\n  - test -f README.md\n');
  git(origin, 'add', '-A');
  git(origin, 'commit', '--quiet', '-m', 'start');
  git(scratch, 'clone', '--quiet', '--bare', origin, bare);
  const forge = await startGitServer(join(scratch, 'forge'), token);
  const runtime = await prepareRunnerRuntime({ dataDir });
  const driver = await LocalSandboxDriver.open({
    stateDir: join(scratch, 'state'),
    readOnlyBinds: runtime.readOnlyBinds,
  });
  const snapshot = await new SnapshotStore({
    rootDir: join(scratch, 'snapshots'),
    driver,
    sandboxUid: 100_000,
    sandboxGid: 100_000,
    setupResources: resources,
    setupEgress: () => null,
  }).build({
    repo: 'acme/app',
    source: bare,
    commit: git(bare, 'rev-parse', 'main'),
    flavour: 'implement',
    remoteInside,
  });

  const specFor = (
    id: string,
    branch: string,
    modelBaseUrl: string,
    provider: ModelProvider = 'openai-compatible',
  ): SandboxSpec => ({
    id,
    flavour: 'implement',
    snapshotDir: snapshot.dir,
    resources,
    env: {},
    egress: {
      policy: defaultFlavourPolicies.implement,
      run: { repo: { owner: 'acme', name: 'app' }, branch },
      credentials: {
        git: { upstream: forge.url, token },
        model: { baseUrl: modelBaseUrl, apiKey: 'sk-bench', provider },
      },
      logFile: join(scratch, `${id}.egress.jsonl`),
    },
  });

  const toHarness: number[] = [];
  const floor: number[] = [];
  const overhead: number[] = [];
  const firstRequest = new Map<HarnessName, number[]>(harnesses.map((h) => [h.name, []]));
  const whole = new Map<HarnessName, number[]>(harnesses.map((h) => [h.name, []]));
  try {
    for (let n = 0; n < runs * harnesses.length; n += 1) {
      // Interleaved, so a slower stretch of the machine weighs on every harness alike.
      const harness = harnesses[n % harnesses.length]!;
      const i = Math.floor(n / harnesses.length);
      // Floor: the bare sandbox, booted from the same warm snapshot, running one command.
      const floorStart = performance.now();
      const floorBox = await driver.create(
        specFor(`floor-${randomUUID()}`, 'horizon/floor', 'http://127.0.0.1:9/v1'),
      );
      const probe = await driver.exec(floorBox, ['/bin/true']);
      probe.stdin.end();
      if ((await probe.exit).code !== 0) throw new Error('the floor sandbox could not run /bin/true');
      floor.push(performance.now() - floorStart);
      await driver.destroy(floorBox);

      const server = await ScriptedModelServer.start({
        script: harness.script,
        vars: { workdir: '/workspace' },
      });
      const branch = `horizon/bench-${harness.name}-${i}`;
      // The provision command has been accepted: everything from here is on the run's clock.
      const accepted = performance.now();
      const handle = await driver.create(
        specFor(`run-${randomUUID()}`, branch, server.baseUrl, harness.provider),
      );
      try {
        await checkoutRunBranch(driver, handle, {
          snapshotCommit: snapshot.commit,
          baseRef: snapshot.commit,
          branch,
        });
        let harnessAt: number | undefined;
        const report = await launchAgentRun(
          driver,
          handle,
          {
            runId: randomUUID(),
            workItemId: randomUUID(),
            kind: 'implement',
            harness: harness.name,
            prompt: 'Create hello.txt with a greeting, then show it.',
            repo: 'acme/app',
            branch,
            baseRef: 'main',
            verify: snapshot.config.verify,
            agent: person,
            owner: null,
            model: {
              provider: harness.provider,
              baseUrl: `${handle.proxyUrl}/_horizon/model`,
              model: 'scripted',
            },
            deadlineAt: new Date(Date.now() + 120_000).toISOString(),
          },
          {
            onEvent: (event) => void (event.kind === 'harness.started' && (harnessAt ??= performance.now())),
          },
        );
        if (report.outcome !== 'succeeded' || harnessAt === undefined)
          throw new Error(
            `${harness.name} run ${i} ended ${report.outcome}: ${report.reason}; model: ${server.failures.join('; ')}`,
          );
        const done = performance.now();
        const modelAt = server.requests.find((r) => r.method === 'POST')?.receivedAt;
        if (modelAt === undefined) throw new Error(`${harness.name} run ${i} asked the model nothing`);
        // The server stamps requests with the wall clock: moved onto this process's clock.
        const modelAtHere = modelAt - performance.timeOrigin;
        if (harness.name === 'opencode') {
          toHarness.push(harnessAt - accepted);
          overhead.push(report.timings.runnerMs);
        }
        firstRequest.get(harness.name)!.push(modelAtHere - accepted);
        whole.get(harness.name)!.push(done - accepted);
        process.stdout.write(
          `${harness.name} run ${i + 1}/${runs}: event→harness ${round(harnessAt - accepted)} ms, ` +
            `event→first model request ${round(modelAtHere - accepted)} ms, whole run ${round(done - accepted)} ms, ` +
            `floor ${round(floor.at(-1)!)} ms, runner overhead ${report.timings.runnerMs} ms\n`,
        );
      } finally {
        await driver.destroy(handle);
        await server.close();
      }
    }
  } finally {
    await forge.close();
    rmSync(scratch, { recursive: true, force: true });
  }

  const p50 = percentile(toHarness, 50);
  const floorP50 = percentile(floor, 50);
  const side = harnesses.map((h) => ({
    name: h.name,
    first: round(percentile(firstRequest.get(h.name)!, 50)),
    whole: round(percentile(whole.get(h.name)!, 50)),
  }));
  console.log(
    `event→harness p50 ${round(p50)} ms p99 ${round(percentile(toHarness, 99))} ms (goal < 1000 ms); ` +
      `sandbox floor p50 ${round(floorP50)} ms; runner overhead p50 ${percentile(overhead, 50)} ms`,
  );
  for (const h of side)
    console.log(`${h.name}: event→first model request p50 ${h.first} ms, whole run p50 ${h.whole} ms`);
  const key = (name: string) => name.replace(/-/g, '_');
  console.log(
    `BENCH run event_to_harness_p50_ms=${round(p50)} p99_ms=${round(percentile(toHarness, 99))} ` +
      `sandbox_floor_p50_ms=${round(floorP50)} runner_overhead_ms=${percentile(overhead, 50)} ratio=${(p50 / floorP50).toFixed(2)} ` +
      side
        .map(
          (h) => `first_request_p50_ms_${key(h.name)}=${h.first} whole_run_p50_ms_${key(h.name)}=${h.whole}`,
        )
        .join(' '),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
