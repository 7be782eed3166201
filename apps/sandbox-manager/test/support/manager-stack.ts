import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  envelopeFor,
  sandboxArtifactRecorded,
  sandboxProvision,
  sandboxSnapshotBuilt,
  type Contract,
  type DataOf,
  type Envelope,
  type runFinished,
  type runProgress,
} from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { createDatabase, type Database } from '@horizon/db';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import {
  ScriptedModelServer,
  type ModelScriptInput,
  freePort,
  createTestDatabase,
  createTestMessaging,
  type TestDatabase,
  type TestMessaging,
  startGitServer,
  type RunningServer,
  git,
  makeRepo,
  tempDir,
  until,
} from '@horizon/testing';
import { SandboxManagerModule } from '../../src/app.module';
import { configShape } from '../../src/config';
import type { SandboxRuntime } from '../../src/host/sandbox-runtime';
import { SANDBOX_RUNTIME } from '../../src/tokens';

export const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
export const agent = { name: 'Horizon Test Agent', email: 'agent@horizon.invalid' };

export type Progress = Envelope<DataOf<typeof runProgress>>;
export type Finished = Envelope<DataOf<typeof runFinished>>;
export type Artifact = Envelope<DataOf<typeof sandboxArtifactRecorded>>;
export type StateChanged = Envelope<{ sandboxId: string; state: string; reason: string | null }>;

export { until };

export interface ManagerStackOptions {
  /**
   * The provider: one script for every run of the suite, played in order, or a catalog of
   * scripts, each chosen by its run's prompt.
   */
  model:
    | { script: ModelScriptInput; vars: Record<string, string> }
    | { scripts: ModelScriptInput[]; vars: Record<string, string> };
  /** What a restart would find, written before the service starts. */
  beforeStart?: (stack: ManagerStack) => Promise<void>;
  /** Settings over the suite's (e.g. a threshold). */
  env?: Record<string, string>;
}

/**
 * The service module booted in-process on its own database and stream prefix, with real
 * bwrap sandboxes, the bundled agent-runner and real OpenCode, a `git http-backend` forge
 * holding `acme/app` (a greeting and its test) and the scripted model server as the
 * provider, both reached only through the egress proxy.
 */
export class ManagerStack {
  readonly token = `ghs_${randomUUID().replace(/-/g, '')}`;
  readonly apiKey = `sk-${randomUUID()}`;
  readonly hostName = `test-${randomUUID().slice(0, 8)}`;
  readonly dirs = {
    state: tempDir('mgr-state'),
    data: tempDir('mgr-data'),
    forge: tempDir('mgr-forge'),
    work: tempDir('mgr-work'),
  };
  readonly bare = join(this.dirs.forge.path, 'acme', 'app.git');
  readonly origin = join(this.dirs.work.path, 'origin');
  commits: string[] = [];
  db!: TestDatabase;
  messaging!: TestMessaging;
  database!: Database;
  forge!: RunningServer;
  model!: ScriptedModelServer;
  app!: INestApplication;
  port!: number;
  conn!: JetStreamConnection;
  publisher!: Publisher;
  runtime!: SandboxRuntime;

  static async start(options: ManagerStackOptions): Promise<ManagerStack> {
    const stack = new ManagerStack();
    await stack.boot(options);
    return stack;
  }

  private async boot(options: ManagerStackOptions): Promise<void> {
    this.commits = makeRepo(this.origin, [
      {
        'greeting.js': "module.exports = () => 'Hello';\n",
        'greeting.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\n" +
          "test('greets Horizon', () => assert.strictEqual(require('./greeting')(), 'Hello, Horizon'));\n",
        '.gitignore': 'built.txt\n',
        '.horizon/config.yaml':
          'setup:\n  - echo "built by $(id -u)" > built.txt\nverify:\n  - test -f greeting.js\n  - node --test\n' +
          'schedules:\n  - { name: nightly-sweep, cron: "0 3 * * *", title: Nightly sweep, prompt: Fix one flaky test. }\n',
      },
    ]);
    git(this.dirs.work.path, 'clone', '--quiet', '--bare', this.origin, this.bare);
    [this.db, this.messaging, this.port, this.forge, this.model] = await Promise.all([
      createTestDatabase(),
      createTestMessaging(),
      freePort(),
      startGitServer(this.dirs.forge.path, this.token),
      ScriptedModelServer.start(options.model),
    ]);
    this.database = createDatabase(this.db.url, 2, 'sandbox');
    await options.beforeStart?.(this);
    const config = parseConfig(configShape, {
      DATABASE_URL: this.db.url,
      NATS_URL: this.messaging.natsUrl,
      HZN_STREAM_PREFIX: this.messaging.prefix,
      HORIZON_DATA_DIR: this.dirs.data.path,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SANDBOX_MANAGER_PORT: String(this.port),
      SANDBOX_STATE_DIR: this.dirs.state.path,
      SANDBOX_HOST_NAME: this.hostName,
      SANDBOX_FORGE_URL: this.forge.url,
      SANDBOX_FORGE_TOKEN: this.token,
      SANDBOX_MODEL_BASE_URL: this.model.baseUrl,
      SANDBOX_MODEL_API_KEY: this.apiKey,
      RUN_MODEL: 'scripted',
      AGENT_NAME: agent.name,
      AGENT_EMAIL: agent.email,
      RUN_GRACE_MS: '5000',
      SNAPSHOT_KEEP: '1',
      ...options.env,
    });
    this.app = await startService({
      name: 'sandbox-manager',
      module: SandboxManagerModule.register(config),
      port: this.port,
    });
    this.runtime = this.app.get<SandboxRuntime>(SANDBOX_RUNTIME);
    this.conn = await JetStreamConnection.connect({
      natsUrl: this.messaging.natsUrl,
      prefix: this.messaging.prefix,
      name: 'test',
    });
    this.publisher = new Publisher(this.conn);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.conn?.close();
    await this.database?.close();
    await this.forge?.close();
    await this.model?.close();
    await Promise.all([this.db?.drop(), this.messaging?.cleanup()]);
    for (const dir of Object.values(this.dirs)) dir.remove();
  }

  async send<C extends Contract>(contract: C, data: DataOf<C>): Promise<Envelope<DataOf<C>>> {
    const env = envelopeFor(contract, data, { source: 'test' });
    await this.publisher.publish(env);
    return env;
  }

  async fetchAll(stream: 'EVT' | 'DLQ') {
    const { conn } = this;
    const name = `t-${randomUUID().slice(0, 8)}`;
    await conn.jsm.consumers.add(conn.naming.stream(stream), {
      durable_name: name,
      ack_policy: 'none' as never,
    });
    const consumer = await conn.js.consumers.get(conn.naming.stream(stream), name);
    // Asking for exactly what is pending returns at once instead of waiting out `expires`.
    const pending = (await consumer.info()).num_pending;
    const messages = [];
    if (pending > 0)
      for await (const m of await consumer.fetch({ max_messages: pending, expires: 2000 })) messages.push(m);
    await conn.jsm.consumers.delete(conn.naming.stream(stream), name);
    return messages;
  }

  async events() {
    return (await this.fetchAll('EVT')).map((m) => m.json<Envelope<Record<string, unknown>>>());
  }

  /** Every `snapshot_built` published so far, oldest first. */
  async snapshotsBuilt() {
    return ((await this.events()) as Envelope<DataOf<typeof sandboxSnapshotBuilt>>[]).filter(
      (e) => e.subject === sandboxSnapshotBuilt.subject,
    );
  }

  /** A commit of `files` on `main` in the forge, as a merge leaves it. */
  mergeToMain(files: Record<string, string>): void {
    this.commits.push(...makeRepo(this.origin, [files]));
    git(this.origin, 'push', '--quiet', this.bare, 'main');
  }

  async stateEvents(sandboxId: string) {
    return ((await this.events()) as StateChanged[]).filter(
      (e) => e.subject === 'hzn.evt.sandbox.state_changed' && e.data.sandboxId === sandboxId,
    );
  }

  async runEvents(runId: string) {
    const all = (await this.events()).filter((e) => e.data.runId === runId);
    return {
      progress: all.filter((e) => e.subject === 'hzn.evt.run.progress') as Progress[],
      finished: all.find((e) => e.subject === 'hzn.evt.run.finished') as Finished | undefined,
    };
  }

  /** The run's `hzn.evt.sandbox.artifact_recorded` events, as the orchestrator receives them. */
  async artifactEvents(runId: string) {
    return ((await this.events()) as Artifact[]).filter(
      (e) => e.subject === sandboxArtifactRecorded.subject && e.data.runId === runId,
    );
  }

  untilFinished(runId: string) {
    return until(async () => (await this.runEvents(runId)).finished, `run ${runId} to finish`, 45_000);
  }

  row(id: string) {
    return this.database.prisma.sandbox.findUnique({ where: { id } });
  }

  untilState(id: string, state: string) {
    return until(async () => {
      const found = await this.row(id);
      return found?.state === state ? found : null;
    }, `sandbox ${id} to be ${state}`);
  }

  async inside(id: string, script: string): Promise<string> {
    const process = await this.runtime.host.exec(id, ['/bin/sh', '-c', script]);
    process.stdin.end();
    let out = '';
    process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await process.exit;
    return out;
  }

  /** How many deliveries `consumer` acknowledged, from the service's metrics. */
  async acks(consumer = 'sandbox-manager-cmd'): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
    const match = new RegExp(
      `hzn_messages_total\\{[^}]*consumer="${consumer}"[^}]*outcome="ack"[^}]*\\} (\\d+)`,
    ).exec(text);
    return match ? Number(match[1]) : 0;
  }

  provision(runId: string, workItemId: string, branch: string, prompt: string) {
    return this.send(sandboxProvision, this.provisionData(runId, workItemId, branch, prompt));
  }

  provisionData(
    runId: string,
    workItemId: string,
    branch: string,
    prompt: string,
  ): DataOf<typeof sandboxProvision> {
    return {
      sandboxId: randomUUID(),
      runId,
      workItemId,
      repo: 'acme/app',
      baseRef: 'main',
      branch,
      flavour: 'implement',
      prompt,
      resources,
      deadlineAt: new Date(Date.now() + 120_000).toISOString(),
      ownerId: null,
    };
  }
}
