import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentRunSpecInput, ModelProvider, RunnerEvent, RunReport } from '@horizon/contracts';
import {
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  type SandboxHandle,
  type Snapshot,
} from '@horizon/sandbox';
import { startGitServer, type RunningServer, git } from '@horizon/testing';
import { launchAgentRun, prepareRunnerRuntime, type LaunchAgentRunOptions } from '@horizon/runner-launch';

const sandboxUid = 100_000;
const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
const remoteInside = 'http://127.0.0.1:3128/_horizon/git/acme/app.git';

export const agent = { name: 'Horizon Agent', email: 'agent@horizon.invalid' };
export const owner = { name: 'Ada Owner', email: 'ada@example.com' };

/**
 * What a suite needs to run the bundled runner in real bwrap sandboxes: `acme/app` (a
 * greeting, its test and a package.json with a test script only; verify `test -f greeting.js`, `node --test`) in a git
 * http-backend forge, its snapshot, and sandboxes booted from it whose egress proxy holds
 * the forge token and the provider key.
 */
export class SandboxRuns {
  readonly token = `ghs_${randomUUID().replace(/-/g, '')}`;
  readonly apiKey = `sk-${randomUUID()}`;
  /** Written to the data folder: it must never reach a sandbox. */
  readonly dataSecret = `data-secret-${randomUUID()}`;
  private readonly temps: string[] = [];
  readonly dataDir = this.tempDir('data');
  private readonly forgeRoot = this.tempDir('forge');
  readonly bare = join(this.forgeRoot, 'acme/app.git');
  private readonly handles: SandboxHandle[] = [];
  driver!: LocalSandboxDriver;
  forge!: RunningServer;
  snapshot!: Snapshot;

  /** `extraBinds`: more files bound read-only into every sandbox, as the runner's are. */
  async start(extraBinds: Array<{ host: string; inside: string }> = []): Promise<void> {
    writeFileSync(join(this.dataDir, 'stack.json'), JSON.stringify({ secret: this.dataSecret }));
    const runtime = await prepareRunnerRuntime({ dataDir: this.dataDir });
    const origin = this.tempDir('origin');
    git(origin, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(origin, 'greeting.js'), "module.exports = () => 'Hello';\n");
    writeFileSync(
      join(origin, 'greeting.test.js'),
      "const test = require('node:test');\nconst assert = require('node:assert');\n" +
        "test('greets Horizon', () => assert.strictEqual(require('./greeting')(), 'Hello, Horizon'));\n",
    );
    writeFileSync(
      join(origin, 'package.json'),
      `${JSON.stringify({ name: 'greeting', private: true, scripts: { test: 'node --test' } }, null, 2)}\n`,
    );
    writeFileSync(join(origin, '.gitignore'), 'node_modules/\n');
    execFileSync('mkdir', ['-p', join(origin, '.horizon')]);
    writeFileSync(
      join(origin, '.horizon/config.yaml'),
      'verify:\n  - test -f greeting.js\n  - node --test\n',
    );
    git(origin, 'add', '-A');
    git(origin, 'commit', '--quiet', '-m', 'a greeting and its test');
    git(this.forgeRoot, 'clone', '--quiet', '--bare', origin, this.bare);
    this.forge = await startGitServer(this.forgeRoot, this.token);
    this.driver = await LocalSandboxDriver.open({
      stateDir: this.tempDir('state'),
      readOnlyBinds: [...runtime.readOnlyBinds, ...extraBinds],
    });
    this.snapshot = await new SnapshotStore({
      rootDir: this.tempDir('snapshots'),
      driver: this.driver,
      sandboxUid,
      sandboxGid: sandboxUid,
      setupResources: resources,
      setupEgress: () => null,
    }).build({
      repo: 'acme/app',
      source: this.bare,
      commit: git(this.bare, 'rev-parse', 'main'),
      flavour: 'implement',
      remoteInside,
    });
  }

  async close(): Promise<void> {
    for (const handle of this.handles) await this.driver?.destroy(handle);
    await this.forge?.close();
    for (const dir of this.temps) rmSync(dir, { recursive: true, force: true });
  }

  /** A sandbox on the snapshot, its workspace on `branch`, the model reached through the proxy. */
  async boot(
    branch: string,
    modelBaseUrl: string,
    provider: ModelProvider = 'openai-compatible',
    flavour: 'implement' | 'review' = 'implement',
  ): Promise<SandboxHandle> {
    const handle = await this.driver.create({
      id: `run-${randomUUID()}`,
      flavour,
      snapshotDir: this.snapshot.dir,
      resources,
      env: {},
      egress: {
        policy: defaultFlavourPolicies[flavour],
        run: { repo: { owner: 'acme', name: 'app' }, branch },
        credentials: {
          git: { upstream: this.forge.url, token: this.token },
          model: { provider, baseUrl: modelBaseUrl, apiKey: this.apiKey },
        },
        logFile: join(this.tempDir('artifacts'), 'egress.jsonl'),
      },
    });
    this.handles.push(handle);
    await checkoutRunBranch(this.driver, handle, {
      snapshotCommit: this.snapshot.commit,
      baseRef: this.snapshot.commit,
      branch,
    });
    return handle;
  }

  specFor(handle: SandboxHandle, overrides: Partial<AgentRunSpecInput>): AgentRunSpecInput {
    return {
      runId: randomUUID(),
      workItemId: randomUUID(),
      kind: 'implement',
      prompt: 'Make the greeting name Horizon.',
      contextLinks: [{ title: 'Issue HZN-1', url: 'https://linear.app/acme/issue/HZN-1' }],
      repo: 'acme/app',
      branch: 'horizon/unset',
      baseRef: 'main',
      verify: this.snapshot.config.verify,
      agent,
      owner,
      model: {
        baseUrl: `${handle.proxyUrl}/_horizon/model`,
        model: 'scripted',
        costPerMillionTokens: { input: 3, output: 15 },
      },
      // A cap, not a pace: on a loaded machine (CI's two cores running other suites' stacks) a
      // three-round run has taken 60 s, so the default leaves room; the deadline's own test
      // sets a short one.
      deadlineAt: new Date(Date.now() + 150_000).toISOString(),
      ...overrides,
    };
  }

  async run(
    handle: SandboxHandle,
    spec: AgentRunSpecInput,
    options: Omit<LaunchAgentRunOptions, 'onEvent'> & { onEvent?: (event: RunnerEvent) => void } = {},
  ): Promise<{ report: RunReport; events: RunnerEvent[] }> {
    const events: RunnerEvent[] = [];
    const report = await launchAgentRun(this.driver, handle, spec, {
      ...options,
      onEvent: (event) => {
        events.push(event);
        options.onEvent?.(event);
      },
    });
    return { report, events };
  }

  /** A shell script run in the sandbox's workspace to its end; its output. */
  async inside(handle: SandboxHandle, script: string): Promise<string> {
    const proc = await this.driver.exec(handle, ['/bin/sh', '-c', script], { cwd: handle.workspacePath });
    proc.stdin.end();
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await proc.exit;
    return out;
  }

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `hzn-${prefix}-`));
    this.temps.push(dir);
    return dir;
  }
}
