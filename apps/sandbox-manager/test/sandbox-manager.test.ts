import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  envelopeFor,
  sandboxCancel,
  sandboxPause,
  sandboxProvision,
  sandboxRefreshSnapshots,
  sandboxResume,
  type Contract,
  type DataOf,
  type Envelope,
  type runFinished,
  type runProgress,
} from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { createDatabase, type Database } from '@horizon/db';
import { HEADER, JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import { ScriptedModelServer, loadScript, type ModelScriptInput } from '@horizon/testing';
import { freePort } from '@horizon/testing/src/nats-server';
import {
  createTestDatabase,
  createTestMessaging,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing/src/stack';
import { SandboxManagerModule } from '../src/app.module';
import { configShape } from '../src/config';
import type { SandboxRuntime } from '../src/host/sandbox-runtime';
import { SANDBOX_RUNTIME } from '../src/tokens';
import { startGitServer, type RunningServer } from '../../../libs/sandbox/test/support/servers';
import { git, makeRepo, tempDir } from '../../../libs/sandbox/test/support/fixtures';

// The service module booted in-process on its own database and stream prefix, with real
// bwrap sandboxes, the bundled agent-runner and real OpenCode, a `git http-backend` forge and
// the scripted model server as the provider, both reached only through the egress proxy.
jest.setTimeout(60_000);

const token = `ghs_${randomUUID().replace(/-/g, '')}`;
const apiKey = `sk-${randomUUID()}`;
const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
const agent = { name: 'Horizon Test Agent', email: 'agent@horizon.invalid' };
const marker = `horizon-cancel-${randomUUID()}`;

type Progress = Envelope<DataOf<typeof runProgress>>;
type Finished = Envelope<DataOf<typeof runFinished>>;
type StateChanged = Envelope<{ sandboxId: string; state: string; reason: string | null }>;

async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sandbox-manager (real Postgres, JetStream, bwrap, agent-runner, OpenCode, git over HTTP)', () => {
  const dirs = {
    state: tempDir('mgr-state'),
    data: tempDir('mgr-data'),
    forge: tempDir('mgr-forge'),
    work: tempDir('mgr-work'),
  };
  const hostName = `test-${randomUUID().slice(0, 8)}`;
  const stale = { sandboxId: randomUUID(), runId: randomUUID(), workItemId: randomUUID() };
  const elsewhereId = randomUUID();
  const bare = join(dirs.forge.path, 'acme', 'app.git');
  const origin = join(dirs.work.path, 'origin');
  let db: TestDatabase;
  let messaging: TestMessaging;
  let database: Database;
  let forge: RunningServer;
  let model: ScriptedModelServer;
  let app: INestApplication;
  let port: number;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let runtime: SandboxRuntime;
  let commits: string[];

  async function send<C extends Contract>(contract: C, data: DataOf<C>): Promise<Envelope<DataOf<C>>> {
    const env = envelopeFor(contract, data, { source: 'test' });
    await publisher.publish(env);
    return env;
  }

  async function fetchAll(stream: 'EVT' | 'DLQ') {
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

  const events = async () => (await fetchAll('EVT')).map((m) => m.json<Envelope<Record<string, unknown>>>());

  async function stateEvents(sandboxId: string) {
    return ((await events()) as StateChanged[]).filter(
      (e) => e.subject === 'hzn.evt.sandbox.state_changed' && e.data.sandboxId === sandboxId,
    );
  }

  async function runEvents(runId: string) {
    const all = (await events()).filter((e) => e.data.runId === runId);
    return {
      progress: all.filter((e) => e.subject === 'hzn.evt.run.progress') as Progress[],
      finished: all.find((e) => e.subject === 'hzn.evt.run.finished') as Finished | undefined,
    };
  }

  const untilFinished = (runId: string) =>
    until(async () => (await runEvents(runId)).finished, `run ${runId} to finish`, 45_000);

  const row = (id: string) => database.prisma.sandbox.findUnique({ where: { id } });

  async function untilState(id: string, state: string) {
    return until(async () => {
      const found = await row(id);
      return found?.state === state ? found : null;
    }, `sandbox ${id} to be ${state}`);
  }

  async function inside(id: string, script: string): Promise<string> {
    const process = await runtime.host.exec(id, ['/bin/sh', '-c', script]);
    process.stdin.end();
    let out = '';
    process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await process.exit;
    return out;
  }

  async function acks(): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const match =
      /hzn_messages_total\{[^}]*consumer="sandbox-manager-cmd"[^}]*outcome="ack"[^}]*\} (\d+)/.exec(text);
    return match ? Number(match[1]) : 0;
  }

  /** A work item and its run, as the orchestrator records them before provisioning. */
  async function recordRun(runId: string, workItemId: string, branch: string): Promise<void> {
    await database.prisma.workItem.create({
      data: { id: workItemId, kind: 'implement', state: 'provisioning', repo: 'acme/app', title: 'greet' },
    });
    await database.prisma.run.create({
      data: {
        id: runId,
        workItemId,
        attempt: 1,
        flavour: 'implement',
        harness: 'opencode',
        model: 'scripted',
        branch,
        deadlineAt: new Date(Date.now() + 600_000),
      },
    });
  }

  function provision(runId: string, workItemId: string, branch: string, prompt: string) {
    return send(sandboxProvision, provisionData(runId, workItemId, branch, prompt));
  }

  function provisionData(
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

  beforeAll(async () => {
    commits = makeRepo(origin, [
      {
        'greeting.js': "module.exports = () => 'Hello';\n",
        'greeting.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\n" +
          "test('greets Horizon', () => assert.strictEqual(require('./greeting')(), 'Hello, Horizon'));\n",
        '.gitignore': 'built.txt\n',
        '.horizon/config.yaml':
          'setup:\n  - echo "built by $(id -u)" > built.txt\nverify:\n  - test -f greeting.js\n  - node --test\n',
      },
    ]);
    git(dirs.work.path, 'clone', '--quiet', '--bare', origin, bare);
    // One provider for the whole suite: the successful run's turns, then the cancelled run's.
    const succeed = loadScript('fix-greeting.yaml');
    const sleep = loadScript('sleep.yaml');
    [db, messaging, port, forge, model] = await Promise.all([
      createTestDatabase(),
      createTestMessaging(),
      freePort(),
      startGitServer(dirs.forge.path, token),
      ScriptedModelServer.start({
        script: { ...succeed, steps: [...succeed.steps, ...sleep.steps] } as ModelScriptInput,
        vars: { workdir: '/workspace', greeting: 'Hello, Horizon', marker },
      }),
    ]);
    database = createDatabase(db.url, 2);
    // Recorded live before this start: one on this host, lost with its run in a crash; one on
    // another host (not ours).
    for (const [id, host, runId] of [
      [stale.sandboxId, hostName, stale.runId],
      [elsewhereId, 'another-host', null],
    ] as const) {
      await database.prisma.sandbox.create({
        data: { id, runId, driver: 'local', flavour: 'implement', state: 'ready', resources, host },
      });
    }
    mkdirSync(join(dirs.state.path, 'artifacts', stale.sandboxId), { recursive: true });
    writeFileSync(
      join(dirs.state.path, 'artifacts', stale.sandboxId, 'run.json'),
      JSON.stringify({
        runId: stale.runId,
        workItemId: stale.workItemId,
        startedAt: new Date().toISOString(),
      }),
    );
    const config = parseConfig(configShape, {
      DATABASE_URL: db.url,
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      HORIZON_DATA_DIR: dirs.data.path,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SANDBOX_MANAGER_PORT: String(port),
      SANDBOX_STATE_DIR: dirs.state.path,
      SANDBOX_HOST_NAME: hostName,
      SANDBOX_FORGE_URL: forge.url,
      SANDBOX_FORGE_TOKEN: token,
      SANDBOX_MODEL_BASE_URL: model.baseUrl,
      SANDBOX_MODEL_API_KEY: apiKey,
      RUN_MODEL: 'scripted',
      AGENT_NAME: agent.name,
      AGENT_EMAIL: agent.email,
      RUN_GRACE_MS: '5000',
      SNAPSHOT_KEEP: '1',
    });
    app = await startService({
      name: 'sandbox-manager',
      module: SandboxManagerModule.register(config),
      port,
    });
    runtime = app.get<SandboxRuntime>(SANDBOX_RUNTIME);
    conn = await JetStreamConnection.connect({
      natsUrl: messaging.natsUrl,
      prefix: messaging.prefix,
      name: 'test',
    });
    publisher = new Publisher(conn);
  });

  afterAll(async () => {
    await app?.close();
    await conn?.close();
    await database?.close();
    await forge?.close();
    await model?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    for (const dir of Object.values(dirs)) dir.remove();
  });

  it('on start, ends a run lost in a restart with infra_error and fails its sandbox; other hosts are left alone', async () => {
    expect(await row(stale.sandboxId)).toMatchObject({ state: 'failed', destroyedAt: expect.any(Date) });
    expect(await row(elsewhereId)).toMatchObject({ state: 'ready' });
    const finished = await untilFinished(stale.runId);
    expect(finished.data).toMatchObject({
      workItemId: stale.workItemId,
      outcome: 'infra_error',
      reason: 'sandbox-manager restarted',
    });
    const [failed] = await stateEvents(stale.sandboxId);
    expect(failed!.data).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/restarted; the sandbox \(ready\) no longer exists/),
    });
  });

  it('reports the host isolation primitives in /readyz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
    expect(res.status).toBe(200);
    expect(body.checks['sandbox-host']).toEqual({ ok: true });
  });

  describe('a provision runs the agent to a pushed commit', () => {
    const runId = randomUUID();
    const workItemId = randomUUID();
    const branch = 'horizon/run-1';
    let command: Envelope<DataOf<typeof sandboxProvision>>;
    let finished: Finished;

    beforeAll(async () => {
      await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
      const built = await until(
        async () => (await events()).find((e) => e.subject === 'hzn.evt.sandbox.snapshot_built'),
        'snapshot_built',
      );
      expect(built.data).toMatchObject({ commit: commits[0], removed: [] });
      // main moves on after the snapshot: the run must start from the new commit.
      commits.push(...makeRepo(origin, [{ 'README.md': 'v1\n' }]));
      git(origin, 'push', '--quiet', bare, 'main');
      await recordRun(runId, workItemId, branch);
      command = await provision(runId, workItemId, branch, 'Make the greeting name Horizon.');
      finished = await untilFinished(runId);
    });

    it('publishes run.finished succeeded, caused by the provision, with the commit', () => {
      expect(model.failures).toEqual([]);
      expect(finished.causationId).toBe(command.id);
      expect(finished.data).toMatchObject({
        workItemId,
        outcome: 'succeeded',
        reason: null,
        branch,
        commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
        verification: [
          { command: 'test -f greeting.js', exitCode: 0 },
          { command: 'node --test', exitCode: 0 },
        ],
        usage: { inputTokens: 1200, outputTokens: 120 },
        summary: expect.stringContaining('Greet Horizon by name'),
      });
    });

    it('the commit is on the run branch in the forge, on the newer main, with the trailers', () => {
      const sha = finished.data.commitSha!;
      expect(git(bare, 'rev-parse', `refs/heads/${branch}`)).toBe(sha);
      expect(git(bare, 'rev-parse', `${sha}^`)).toBe(commits[1]);
      expect(git(bare, 'log', '-1', '--format=%an <%ae>', sha)).toBe(`${agent.name} <${agent.email}>`);
      expect(git(bare, 'log', '-1', '--format=%(trailers:key=Horizon-Run,valueonly)', sha)).toBe(runId);
      expect(git(bare, 'log', '-1', '--format=%(trailers:key=Horizon-Work-Item,valueonly)', sha)).toBe(
        workItemId,
      );
      expect(git(bare, 'log', '-1', '--format=%(trailers:key=Co-authored-by,valueonly)', sha)).toBe(
        `${agent.name} <${agent.email}>`,
      );
    });

    it('published every runner event as run.progress, in seq order, before run.finished', async () => {
      const all = await events();
      const progress = all.filter(
        (e) => e.subject === 'hzn.evt.run.progress' && e.data.runId === runId,
      ) as Progress[];
      expect(progress.map((e) => e.data.seq)).toEqual(progress.map((_, i) => i));
      expect(progress.every((e) => e.causationId === command.id && e.data.workItemId === workItemId)).toBe(
        true,
      );
      const kinds = progress.map((e) => e.data.kind);
      for (const kind of [
        'runner.started',
        'harness.started',
        'verify.passed',
        'commit.created',
        'push.done',
      ])
        expect(kinds).toContain(kind);
      expect(progress.filter((e) => e.data.kind === 'tool_use').map((e) => e.data.detail!.tool)).toEqual([
        'read',
        'edit',
        'bash',
      ]);
      const finishedAt = all.findIndex((e) => e.id === finished.id);
      expect(all.findIndex((e) => e.id === progress.at(-1)!.id)).toBeLessThan(finishedAt);
    });

    it('destroys the sandbox after the run and records it, with the artifacts', async () => {
      const sandboxId = command.data.sandboxId;
      const destroyed = await untilState(sandboxId, 'destroyed');
      expect(destroyed.destroyedAt).toBeInstanceOf(Date);
      expect(runtime.host.has(sandboxId)).toBe(false);
      expect(existsSync(join(dirs.state.path, 'driver/sandboxes', sandboxId))).toBe(false);
      expect((await stateEvents(sandboxId)).map((e) => [e.data.state, e.data.reason])).toEqual([
        ['creating', null],
        ['ready', null],
        ['destroyed', 'run succeeded'],
      ]);
      const artifacts = await database.prisma.artifact.findMany({
        where: { runId },
        orderBy: { kind: 'asc' },
      });
      expect(artifacts.map((a) => a.kind)).toEqual(['egress_log', 'transcript', 'verification_log']);
      const files = Object.fromEntries(
        artifacts.map((a) => [a.kind, readFileSync(fileURLToPath(a.uri), 'utf8')] as const),
      );
      for (const a of artifacts) expect(a.sizeBytes).toBe(Buffer.byteLength(files[a.kind]!));
      expect(files.transcript!.trim().split('\n')).toHaveLength((await runEvents(runId)).progress.length);
      expect(files.verification_log).toContain('$ node --test');
      expect(files.egress_log).toMatch(/"kind":"git".*"status":200/);
    });
  });

  describe('a run cancelled mid-command', () => {
    const runId = randomUUID();
    let command: Envelope<DataOf<typeof sandboxProvision>>;

    beforeAll(async () => {
      command = await provision(runId, randomUUID(), 'horizon/run-2', 'Run the long command.');
    });

    it('acks the provision while the run goes on; pause and resume freeze and thaw it', async () => {
      const sandboxId = command.data.sandboxId;
      await untilState(sandboxId, 'ready');
      // `[h]orizon-…` matches the command but not this shell's own command line.
      await until(
        async () => (await inside(sandboxId, `pgrep -f "[h]${marker.slice(1)}" || true`)).trim() !== '',
        'the agent to run its long command',
      );
      const provisionAcked = await until(async () => {
        const info = await conn.jsm.consumers.info(conn.naming.stream('CMD'), 'sandbox-manager-cmd');
        return info.num_ack_pending === 0 && info.num_pending === 0 && info;
      }, 'the provision to be acked');
      expect(provisionAcked.num_ack_pending).toBe(0);
      expect((await runEvents(runId)).finished).toBeUndefined();

      await send(sandboxPause, { sandboxId });
      await untilState(sandboxId, 'paused');
      await expect(runtime.host.exec(sandboxId, ['true'])).rejects.toThrow(/is paused/);
      await send(sandboxResume, { sandboxId });
      await untilState(sandboxId, 'ready');
    });

    it('treats a redelivered provision as a no-op', async () => {
      const before = await acks();
      const h = natsHeaders();
      h.set(HEADER.type, command.type);
      // Same envelope, new Nats-Msg-Id: JetStream stores it again, as a redelivery would arrive.
      await publisher.publishRaw(
        conn.naming.subject(command.subject),
        new TextEncoder().encode(JSON.stringify(command)),
        h,
        `redelivery-${command.id}`,
      );
      await until(async () => (await acks()) > before, 'the redelivery to be acked');
      expect((await stateEvents(command.data.sandboxId)).map((e) => e.data.state)).toEqual([
        'creating',
        'ready',
        'paused',
        'ready',
      ]);
      expect(await database.prisma.sandbox.count({ where: { id: command.data.sandboxId } })).toBe(1);
    });

    it('cancel stops the agent: run.finished cancelled, the sandbox destroyed with the reason', async () => {
      const sandboxId = command.data.sandboxId;
      const cancelledAt = Date.now();
      const cancel = await send(sandboxCancel, { sandboxId, runId, reason: 'the work item was cancelled' });
      const finished = await untilFinished(runId);
      expect(Date.now() - cancelledAt).toBeLessThan(15_000);
      expect(finished.data).toMatchObject({ outcome: 'cancelled', commitSha: null, branch: null });
      await untilState(sandboxId, 'destroyed');
      expect(runtime.host.has(sandboxId)).toBe(false);
      const last = (await stateEvents(sandboxId)).at(-1)!;
      expect(last.data).toMatchObject({ state: 'destroyed', reason: 'the work item was cancelled' });
      expect(last.causationId).toBe(cancel.id);
      expect(git(bare, 'branch', '--list', 'horizon/run-2')).toBe('');
    });
  });

  it('no credential appears in any published event; the provider got the key from the proxy', async () => {
    const published = (await fetchAll('EVT')).map((m) => new TextDecoder().decode(m.data));
    expect(published.some((text) => text.includes('"hzn.evt.run.progress"'))).toBe(true);
    for (const text of published) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(apiKey);
    }
    const step = model.requests.find((r) => r.kind === 'step')!;
    expect(step.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('dead-letters a command for a sandbox it does not know, with the reason', async () => {
    const unknown = randomUUID();
    const command = await send(sandboxPause, { sandboxId: unknown });
    const dead = await until(async () => {
      const messages = await fetchAll('DLQ');
      return messages.find((m) => m.json<Envelope>().id === command.id);
    }, 'the dead letter');
    expect(dead.headers?.get(HEADER.dlqReason)).toBe(
      `sandbox ${unknown} is not known to sandbox-manager (after 3 deliveries)`,
    );
    expect(await row(unknown)).toBeNull();
  });

  it('fails a provision whose repository does not exist, naming why without the token', async () => {
    const data = { ...provisionData(randomUUID(), randomUUID(), 'horizon/run-3', 'x'), repo: 'acme/missing' };
    await send(sandboxProvision, data);
    const failingId = data.sandboxId;
    await untilState(failingId, 'failed');
    const [, event] = await until(async () => {
      const found = await stateEvents(failingId);
      return found.length === 2 && found;
    }, 'the failed event');
    expect(event!.data.reason).toMatch(/git ls-remote of acme\/missing failed/);
    expect(event!.data.reason).not.toContain(token);
    expect(runtime.host.has(failingId)).toBe(false);
  });

  it('rebuilds a snapshot when main moved and collects the old one; a current one is left alone', async () => {
    const builtEvents = async () =>
      (await events()).filter((e) => e.subject === 'hzn.evt.sandbox.snapshot_built') as Envelope<{
        commit: string;
        removed: string[];
      }>[];
    await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    const rebuilt = await until(async () => {
      const found = await builtEvents();
      return found.length === 2 && found[1];
    }, 'the rebuild');
    expect(rebuilt.data.commit).toBe(commits[1]);
    expect(rebuilt.data.removed).toHaveLength(1);

    const before = await acks();
    await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    await until(async () => (await acks()) > before, 'the second refresh');
    expect(await builtEvents()).toHaveLength(2);
  });
});
