// Run start-up benchmark (`npm run bench -- run [runs]`), with real bwrap sandboxes, the
// bundled agent-runner, real OpenCode, the scripted model server and a git http-backend forge:
//  1. accepted provision event → harness process running (the runner's `harness.started`):
//     boot from a warm snapshot, move to the run branch, exec the runner, spawn OpenCode;
//  2. the sandbox boot floor in the same run: create a sandbox and run `true` in it;
//  3. the runner's own overhead per run: its time outside the harness and the checks
//     (start, git, commit, push, reporting), from each run's report.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchAgentRun, prepareRunnerRuntime } from '@horizon/runner-launch';
import {
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  type SandboxSpec,
} from '@horizon/sandbox';
import { ScriptedModelServer, startGitServer, git } from '@horizon/testing';

const runs = Number(process.argv[2] ?? 30);
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

  const specFor = (id: string, branch: string, modelBaseUrl: string): SandboxSpec => ({
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
        model: { baseUrl: modelBaseUrl, apiKey: 'sk-bench' },
      },
      logFile: join(scratch, `${id}.egress.jsonl`),
    },
  });

  const toHarness: number[] = [];
  const floor: number[] = [];
  const overhead: number[] = [];
  const total: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
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
        script: 'write-and-run.yaml',
        vars: { workdir: '/workspace' },
      });
      const branch = `horizon/bench-${i}`;
      // The provision command has been accepted: everything from here is on the run's clock.
      const accepted = performance.now();
      const handle = await driver.create(specFor(`run-${randomUUID()}`, branch, server.baseUrl));
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
            prompt: 'Create hello.txt with a greeting, then show it.',
            repo: 'acme/app',
            branch,
            baseRef: 'main',
            verify: snapshot.config.verify,
            agent: person,
            owner: null,
            model: { baseUrl: `${handle.proxyUrl}/_horizon/model`, model: 'scripted' },
            deadlineAt: new Date(Date.now() + 120_000).toISOString(),
          },
          {
            onEvent: (event) => void (event.kind === 'harness.started' && (harnessAt ??= performance.now())),
          },
        );
        if (report.outcome !== 'succeeded' || harnessAt === undefined)
          throw new Error(
            `run ${i} ended ${report.outcome}: ${report.reason}; model: ${server.failures.join('; ')}`,
          );
        toHarness.push(harnessAt - accepted);
        overhead.push(report.timings.runnerMs);
        total.push(performance.now() - accepted);
        process.stdout.write(
          `run ${i + 1}/${runs}: event→harness ${round(harnessAt - accepted)} ms, floor ${round(floor.at(-1)!)} ms, ` +
            `runner overhead ${report.timings.runnerMs} ms, whole run ${round(total.at(-1)!)} ms\n`,
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
  console.log(
    `event→harness p50 ${round(p50)} ms p99 ${round(percentile(toHarness, 99))} ms (goal < 1000 ms); ` +
      `sandbox floor p50 ${round(floorP50)} ms; runner overhead p50 ${percentile(overhead, 50)} ms; whole run p50 ${round(percentile(total, 50))} ms`,
  );
  console.log(
    `BENCH run event_to_harness_p50_ms=${round(p50)} p99_ms=${round(percentile(toHarness, 99))} ` +
      `sandbox_floor_p50_ms=${round(floorP50)} runner_overhead_ms=${percentile(overhead, 50)} ratio=${(p50 / floorP50).toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
