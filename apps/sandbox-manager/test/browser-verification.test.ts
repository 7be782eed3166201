import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserCheckRequest, RunnerEvent, RunReport } from '@horizon/contracts';
import { ArtifactStore } from '@horizon/messaging';
import { createLogger } from '@horizon/observability';
import { launchAgentRun, prepareRunnerRuntime } from '@horizon/runner-launch';
import {
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  readBrowserChecks,
  type SandboxHandle,
  type Snapshot,
} from '@horizon/sandbox';
import {
  ScriptedModelServer,
  connectTestMessaging,
  createTestMessaging,
  git,
  readLines,
  startGitServer,
  tempDir,
  type RunningServer,
  type TestMessaging,
} from '@horizon/testing';
import { PNG } from 'pngjs';
import type { RunArtifact } from '../src/application/ports';
import { PREVIEW_HOST, SandboxBrowserVerifier } from '../src/host/browser/verifier';

// The whole browser verification of a run (issue #18): the bundled runner in a real bwrap
// sandbox starts the repository's preview; the host checks it in Chromium from a verify
// sandbox that reaches only that preview; a console error sends the run back to the agent
// with the evidence; screenshots, DOM snapshots and the diff against the base are kept in the
// artifact store (real JetStream).
jest.setTimeout(240_000);

const sandboxUid = 100_000;
const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
const remoteInside = 'http://127.0.0.1:3128/_horizon/git/acme/shop.git';
const basePage =
  '<!doctype html><html><body style="margin:0;font:20px sans-serif"><h1>Cart</h1><p id="greeting">Hello</p></body></html>\n';
const server = `const http = require('node:http');
const fs = require('node:fs');
http.createServer((req, res) => {
  if (req.url !== '/') return res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'text/html' }).end(fs.readFileSync('index.html'));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('browser verification of a run (real sandbox, runner, OpenCode and Chromium)', () => {
  const dirs: Array<{ path: string; remove(): void }> = [];
  const temp = (name: string) => {
    const dir = tempDir(name);
    dirs.push(dir);
    return dir.path;
  };
  const token = `ghs_${randomUUID().replace(/-/g, '')}`;
  const branch = `horizon/${randomUUID()}`;
  const runId = randomUUID();
  const artifactsDir = temp('artifacts');
  let forge: RunningServer;
  let driver: LocalSandboxDriver;
  let snapshot: Snapshot;
  let handle: SandboxHandle;
  let model: ScriptedModelServer;
  let messaging: TestMessaging;
  let store: ArtifactStore;
  let closeMessaging: () => Promise<void>;
  let report: RunReport;
  const events: RunnerEvent[] = [];
  const artifacts: RunArtifact[] = [];
  const requests: BrowserCheckRequest[] = [];

  beforeAll(async () => {
    const origin = temp('origin');
    git(origin, 'init', '--quiet', '--initial-branch=main');
    mkdirSync(join(origin, '.horizon'));
    writeFileSync(join(origin, 'index.html'), basePage);
    writeFileSync(join(origin, 'server.js'), server);
    writeFileSync(
      join(origin, '.horizon/config.yaml'),
      'verify:\n  - test -f index.html\npreview:\n  command: node server.js\n  port: 8080\n',
    );
    writeFileSync(
      join(origin, '.horizon/verify.yaml'),
      "viewport: { width: 640, height: 480 }\npages:\n  - name: cart\n    path: /\n    steps:\n      - waitFor: '#greeting'\n",
    );
    git(origin, 'add', '-A');
    git(origin, 'commit', '--quiet', '-m', 'a cart page');
    const forgeRoot = temp('forge');
    git(forgeRoot, 'clone', '--quiet', '--bare', origin, join(forgeRoot, 'acme/shop.git'));
    forge = await startGitServer(forgeRoot, token);
    const runtime = await prepareRunnerRuntime({ dataDir: temp('data') });
    driver = await LocalSandboxDriver.open({ stateDir: temp('state'), readOnlyBinds: runtime.readOnlyBinds });
    snapshot = await new SnapshotStore({
      rootDir: temp('snapshots'),
      driver,
      sandboxUid,
      sandboxGid: sandboxUid,
      setupResources: resources,
      setupEgress: () => null,
    }).build({
      repo: 'acme/shop',
      source: join(forgeRoot, 'acme/shop.git'),
      commit: git(join(forgeRoot, 'acme/shop.git'), 'rev-parse', 'main'),
      flavour: 'implement',
      remoteInside,
    });
    model = await ScriptedModelServer.start({
      script: 'greeting-page.yaml',
      vars: { workdir: '/workspace' },
    });
    handle = await driver.create({
      id: `run-${randomUUID()}`,
      flavour: 'implement',
      snapshotDir: snapshot.dir,
      resources,
      env: {},
      egress: {
        policy: defaultFlavourPolicies.implement,
        run: { repo: { owner: 'acme', name: 'shop' }, branch },
        credentials: {
          git: { upstream: forge.url, token },
          model: { provider: 'openai-compatible', baseUrl: model.baseUrl, apiKey: 'sk-test' },
        },
        logFile: join(artifactsDir, 'egress.jsonl'),
      },
    });
    await checkoutRunBranch(driver, handle, {
      snapshotCommit: snapshot.commit,
      baseRef: snapshot.commit,
      branch,
    });
    messaging = await createTestMessaging();
    const connected = await connectTestMessaging(messaging, 'browser-verification-test');
    closeMessaging = () => connected.conn.close();
    store = new ArtifactStore(connected.conn);
    const verifier = new SandboxBrowserVerifier({
      driver,
      runtimeDir: temp('browser'),
      store,
      resources: { memoryMiB: 1024, cpuMillis: 1000, maxProcesses: 512 },
      logger: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
    const checks = (await readBrowserChecks(handle.workspaceHostPath))!;
    report = await launchAgentRun(
      driver,
      handle,
      {
        runId,
        workItemId: randomUUID(),
        kind: 'implement',
        prompt: 'Put the greeting on the page, naming Horizon.',
        repo: 'acme/shop',
        branch,
        baseRef: 'main',
        verify: snapshot.config.verify,
        preview: snapshot.config.preview ?? null,
        agent: { name: 'Horizon Agent', email: 'agent@horizon.invalid' },
        owner: null,
        model: { baseUrl: `${handle.proxyUrl}/_horizon/model`, model: 'scripted' },
        deadlineAt: new Date(Date.now() + 200_000).toISOString(),
      },
      {
        onEvent: (event) => events.push(event),
        onBrowserCheck: async (request) => {
          requests.push(request);
          const checked = await verifier.check(
            { runId, sandboxId: handle.id, repo: 'acme/shop', branch, handle, checks, artifactsDir },
            request,
          );
          artifacts.push(...checked.artifacts);
          return checked.result;
        },
      },
    );
  });

  afterAll(async () => {
    await model?.close();
    if (handle) await driver.destroy(handle);
    await forge?.close();
    await closeMessaging?.();
    await messaging?.cleanup();
    for (const dir of dirs) dir.remove();
  });

  it('checks the base before the agent starts, then the change; a console error costs a fix round', () => {
    expect(model.failures).toEqual([]);
    expect(model.pendingSteps).toBe(0);
    expect(report).toMatchObject({ outcome: 'succeeded', branch });
    expect(requests.map((r) => [r.target, r.round, r.port])).toEqual([
      ['base', 0, 8080],
      ['change', 0, 8080],
      ['change', 1, 8080],
    ]);
    expect(report.browser.map((b) => [b.target, b.round, b.outcome])).toEqual([
      ['base', 0, 'passed'],
      ['change', 0, 'failed'],
      ['change', 1, 'passed'],
    ]);
    expect(report.browser[1]!.problems).toEqual([
      expect.stringContaining(
        'page "cart" (/): console error: Uncaught ReferenceError: greet is not defined',
      ),
    ]);
    // The base was taken before the agent's first turn, with the page as it was.
    const firstTurn = events.find((e) => e.kind === 'harness.started')!.seq;
    expect(events.find((e) => e.kind === 'browser.passed')!.seq).toBeLessThan(firstTurn);
    // The fix round showed the agent what the browser found.
    const fixPrompt = model.agentRequests
      .at(-1)!
      .body!.messages.filter((m) => m.role === 'user')
      .pop()!.content;
    expect(fixPrompt).toContain('browser check of the running app (`node server.js`) failed');
    expect(fixPrompt).toContain('greet is not defined');
    expect(report.reason).toBeNull();
    expect(report.summary).toContain('Greet Horizon on the page');
  });

  it('keeps full-page screenshots, DOM snapshots and the diff against the base in the artifact store', async () => {
    const byTarget = (kind: string, target: string, round: number) =>
      artifacts.find((a) => a.kind === kind && a.metadata?.target === target && a.metadata?.round === round);
    const base = byTarget('screenshot', 'base', 0)!;
    const fixed = byTarget('screenshot', 'change', 1)!;
    const diff = byTarget('visual_diff', 'diff', 1)!;
    const dom = byTarget('dom_snapshot', 'change', 1)!;
    for (const artifact of [base, fixed, diff, dom])
      expect(artifact.uri).toMatch(`nats-object://${store.bucket}/runs/${runId}/browser/`);
    const png = async (uri: string) =>
      PNG.sync.read(Buffer.from((await store.get(store.nameOf(uri)!))!.data));
    const [basePng, fixedPng] = [await png(base.uri!), await png(fixed.uri!)];
    expect(basePng.width).toBe(640);
    expect(fixedPng.width).toBe(640);
    expect(basePng.data.equals(fixedPng.data)).toBe(false);
    expect(diff.metadata?.changedRatio).toBeGreaterThan(0);
    expect(diff.metadata?.changedRatio).toBeLessThan(0.2);
    const snapshotHtml = Buffer.from((await store.get(store.nameOf(dom.uri!)!))!.data).toString();
    expect(snapshotHtml).toContain('Hello, Horizon');
    expect(existsSync(fixed.path)).toBe(true);
  });

  it('the verify sandbox reached the preview through the proxy and nothing else', () => {
    const log = readLines(join(artifactsDir, 'browser', 'change-r1', 'egress.jsonl'));
    expect(log.length).toBeGreaterThan(0);
    expect(
      log.filter((line) => line.kind === 'preview' && line.host === PREVIEW_HOST && line.status === 200)
        .length,
    ).toBeGreaterThan(0);
    expect(log.filter((line) => line.kind !== 'preview' && !line.refused)).toEqual([]);
    expect(readFileSync(join(artifactsDir, 'browser', 'change-r1', 'cart.html'), 'utf8')).toContain(
      'Hello, Horizon',
    );
  });
});
