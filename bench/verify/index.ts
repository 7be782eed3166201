// Browser verification benchmark (`npm run bench -- verify [runs]`, default 10), real bwrap
// sandboxes and Debian's Chromium:
//  1. sandboxed: a preview answering inside a run sandbox → the check's last capture, through
//     the whole path a run takes (exposePort, a verify sandbox booted for the check, Chromium in
//     it driven over its pipe, the proxy's preview route, screenshot and DOM of one page);
//  2. baseline, in the same run: the same page, served by the same server on the host, captured
//     by a host Chromium launched for the check with the same capture code;
//  3. the verify sandbox's memory (cgroup) after its capture.
// Both variants launch a browser per check, as the product does; the ratio is what the sandbox,
// its proxy and the bridge between the two sandboxes cost.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '@horizon/observability';
import { LocalSandboxDriver, parseBrowserChecks, type SandboxHandle } from '@horizon/sandbox';
import { freePort, launchChromium, makeLowerLayer } from '@horizon/testing';
import { captureBrowserChecks } from '../../apps/sandbox-manager/src/host/browser/capture';
import { SandboxBrowserVerifier } from '../../apps/sandbox-manager/src/host/browser/verifier';

const runs = Number(process.argv[2] ?? 10);
const port = 8080;
const page = `<!doctype html><html><body style="font:16px sans-serif"><h1>Your cart</h1>
<table>${Array.from({ length: 20 }, (_, i) => `<tr><td>Item ${i}</td><td>$${i}.00</td></tr>`).join('')}</table></body></html>`;
const server = `require('node:http').createServer((q, s) => s.writeHead(200, { 'content-type': 'text/html' })
  .end(require('node:fs').readFileSync(__dirname + '/index.html'))).listen(Number(process.env.PORT), '127.0.0.1');`;
const checks = parseBrowserChecks("pages:\n  - name: cart\n    path: /\n    steps:\n      - waitFor: 'h1'\n");

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Polls until the server behind the socket answers, as the runner polls its preview. */
async function answers(socketPath: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = httpRequest({ socketPath, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the preview in the run sandbox never answered');
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'hzn-bench-verify-'));
  chmodSync(scratch, 0o711);
  const lower = join(scratch, 'app');
  makeLowerLayer(lower, { 'index.html': page, 'server.js': server });
  const driver = await LocalSandboxDriver.open({ stateDir: join(scratch, 'state') });
  const verifier = new SandboxBrowserVerifier({
    driver,
    runtimeDir: join(scratch, 'browser'),
    store: null,
    resources: { memoryMiB: 1024, cpuMillis: 1000, maxProcesses: 512 },
    logger: createLogger('bench-verify', 'silent'),
  });
  const hostPort = await freePort();
  const hostServer = spawn(process.execPath, [join(lower, 'server.js')], {
    env: { PORT: String(hostPort) },
    stdio: 'ignore',
  });
  const sandboxed: number[] = [];
  const baseline: number[] = [];
  const memory: number[] = [];
  let run: SandboxHandle | null = null;
  try {
    run = await driver.create({
      id: `run-${randomUUID()}`,
      flavour: 'implement',
      snapshotDir: lower,
      resources: { memoryMiB: 512, cpuMillis: 1000, maxProcesses: 128 },
      env: {},
      egress: null,
    });
    const preview = await driver.exec(run, ['/usr/bin/node', 'server.js'], { env: { PORT: String(port) } });
    preview.stdin.end();
    await answers((await driver.exposePort(run, port)).socketPath);
    for (let i = 0; i < runs; i += 1) {
      // Interleaved, so a slower stretch of the machine weighs on both alike.
      const artifactsDir = join(scratch, `artifacts-${i}`);
      const started = performance.now();
      const checked = await verifier.check(
        { runId: randomUUID(), sandboxId: run.id, repo: 'acme/app', branch: 'main', handle: run, checks, artifactsDir },
        { type: 'browser_check', requestId: `bench-${i}`, target: 'base', round: 0, port },
      ); // prettier-ignore
      if (checked.result.outcome !== 'passed')
        throw new Error(`check ${i} ${checked.result.outcome}: ${checked.result.summary}`);
      sandboxed.push(performance.now() - started);
      memory.push(checked.measures.memoryBytes / 2 ** 20);

      const hostStarted = performance.now();
      const browser = await launchChromium();
      try {
        const capture = await captureBrowserChecks({
          browser,
          baseUrl: `http://127.0.0.1:${hostPort}`,
          checks,
          outDir: join(scratch, `host-${i}`),
        });
        if (!capture.pages[0]?.screenshot) throw new Error(`host capture ${i} took no screenshot`);
      } finally {
        await browser.close();
      }
      baseline.push(performance.now() - hostStarted);
      process.stdout.write(
        `run ${i + 1}/${runs}: sandboxed ${Math.round(sandboxed.at(-1)!)} ms, host ${Math.round(baseline.at(-1)!)} ms, verify sandbox ${memory.at(-1)!.toFixed(0)} MiB\n`,
      );
    }
  } finally {
    hostServer.kill();
    if (run) await driver.destroy(run);
    rmSync(scratch, { recursive: true, force: true });
  }
  const [s50, h50] = [percentile(sandboxed, 50), percentile(baseline, 50)];
  process.stdout.write(
    `BENCH verify runs=${runs} ready_to_capture_p50_ms=${Math.round(s50)} ready_to_capture_p90_ms=${Math.round(percentile(sandboxed, 90))} ` +
      `host_chromium_p50_ms=${Math.round(h50)} ratio_p50=${(s50 / h50).toFixed(2)} verify_memory_p50_mib=${percentile(memory, 50).toFixed(0)} ` +
      `verify_memory_max_mib=${Math.max(...memory).toFixed(0)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
