import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
} from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { createDatabase, type Database } from '@horizon/db';
import { HEADER, JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
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

const token = 'ghs_MANAGERtestTOKEN0123456789';
const resources = { memoryMiB: 256, cpuMillis: 1000, maxProcesses: 64 };

async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sandbox-manager (real Postgres, JetStream, bwrap, git over HTTP)', () => {
  const dirs = {
    state: tempDir('manager-state'),
    forge: tempDir('manager-forge'),
    work: tempDir('manager-work'),
  };
  const hostName = `test-${randomUUID().slice(0, 8)}`;
  const staleId = randomUUID();
  const elsewhereId = randomUUID();
  let db: TestDatabase;
  let messaging: TestMessaging;
  let database: Database;
  let forge: RunningServer;
  let app: INestApplication;
  let port: number;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let runtime: SandboxRuntime;
  let commits: string[];
  const origin = join(dirs.work.path, 'origin');

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

  async function stateEvents(sandboxId: string) {
    return (await fetchAll('EVT'))
      .map((m) => m.json<Envelope<{ sandboxId?: string; state?: string; reason: string | null }>>())
      .filter((e) => e.data.sandboxId === sandboxId);
  }

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

  beforeAll(async () => {
    commits = makeRepo(origin, [
      {
        'README.md': 'v0\n',
        '.gitignore': 'built.txt\n',
        '.horizon/config.yaml': 'setup:\n  - echo "built by $(id -u)" > built.txt\n',
      },
    ]);
    git(dirs.work.path, 'clone', '--quiet', '--bare', origin, join(dirs.forge.path, 'acme', 'app.git'));
    [db, messaging, port, forge] = await Promise.all([
      createTestDatabase(),
      createTestMessaging(),
      freePort(),
      startGitServer(dirs.forge.path, token),
    ]);
    database = createDatabase(db.url, 2);
    // Recorded live before this start: one on this host (gone), one on another host (not ours).
    for (const [id, host] of [
      [staleId, hostName],
      [elsewhereId, 'another-host'],
    ] as const) {
      await database.prisma.sandbox.create({
        data: { id, runId: null, driver: 'local', flavour: 'implement', state: 'ready', resources, host },
      });
    }
    const config = parseConfig(configShape, {
      DATABASE_URL: db.url,
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SANDBOX_MANAGER_PORT: String(port),
      SANDBOX_STATE_DIR: dirs.state.path,
      SANDBOX_HOST_NAME: hostName,
      SANDBOX_FORGE_URL: forge.url,
      SANDBOX_FORGE_TOKEN: token,
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
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await conn?.close();
    await database?.close();
    await forge?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    for (const dir of Object.values(dirs)) dir.remove();
  }, 60_000);

  it('on start, fails what Postgres says is live on this host but no longer exists; other hosts are left alone', async () => {
    expect(await row(staleId)).toMatchObject({ state: 'failed', destroyedAt: expect.any(Date) });
    expect(await row(elsewhereId)).toMatchObject({ state: 'ready' });
    const [event] = await until(async () => {
      const events = await stateEvents(staleId);
      return events.length > 0 && events;
    }, 'the failed event');
    expect(event!.data).toMatchObject({
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

  const sandboxId = randomUUID();
  const runId = randomUUID();
  let provisionCommand: Envelope<DataOf<typeof sandboxProvision>>;

  it('builds a snapshot on refresh, then provisions from it, moving the workspace to the newer main through the proxy', async () => {
    await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    const built = await until(async () => {
      const events = (await fetchAll('EVT')).map((m) => m.json<Envelope<{ commit?: string }>>());
      return events.find((e) => e.subject === 'hzn.evt.sandbox.snapshot_built');
    }, 'snapshot_built');
    expect(built.data).toMatchObject({ commit: commits[0], removed: [] });

    // main moves on after the snapshot: the run must start from the new commit.
    commits.push(...makeRepo(origin, [{ 'README.md': 'v1\n' }]));
    git(origin, 'push', '--quiet', join(dirs.forge.path, 'acme', 'app.git'), 'main');

    provisionCommand = await send(sandboxProvision, {
      sandboxId,
      runId,
      workItemId: randomUUID(),
      repo: 'acme/app',
      baseRef: 'main',
      branch: 'horizon/run-1',
      flavour: 'implement',
      prompt: 'do it',
      resources,
      deadlineAt: new Date(Date.now() + 600_000).toISOString(),
      ownerId: null,
    });
    const ready = await untilState(sandboxId, 'ready');
    expect(ready).toMatchObject({ runId, host: hostName, driver: 'local', flavour: 'implement', resources });
    expect(ready.snapshotRef).toMatch(new RegExp(`^acme/app/implement/.*-${commits[0]!.slice(0, 12)}$`));
    const events = await until(async () => {
      const found = await stateEvents(sandboxId);
      return found.length === 2 && found;
    }, 'creating and ready events');
    expect(events.map((e) => e.data.state)).toEqual(['creating', 'ready']);
    expect(events.every((e) => e.causationId === provisionCommand.id)).toBe(true);

    expect(
      await inside(sandboxId, 'git branch --show-current; git rev-parse HEAD; cat README.md built.txt'),
    ).toBe(`horizon/run-1\n${commits[1]}\nv1\nbuilt by 1000\n`);
    expect(
      await inside(
        sandboxId,
        `grep -rl ${token} /workspace /home/sandbox /proc/*/environ 2>/dev/null; echo end`,
      ),
    ).toBe('end\n');
  });

  it('treats a redelivered provision as a no-op', async () => {
    const before = await acks();
    const h = natsHeaders();
    h.set(HEADER.type, provisionCommand.type);
    // Same envelope, new Nats-Msg-Id: JetStream stores it again, as a redelivery would arrive.
    await publisher.publishRaw(
      conn.naming.subject(provisionCommand.subject),
      new TextEncoder().encode(JSON.stringify(provisionCommand)),
      h,
      `redelivery-${provisionCommand.id}`,
    );
    await until(async () => (await acks()) > before, 'the redelivery to be acked');
    expect((await stateEvents(sandboxId)).map((e) => e.data.state)).toEqual(['creating', 'ready']);
    expect(runtime.host.list()).toEqual([sandboxId]);
    expect(await database.prisma.sandbox.count({ where: { id: sandboxId } })).toBe(1);
  });

  it('pauses and resumes, publishing each transition', async () => {
    await send(sandboxPause, { sandboxId });
    await untilState(sandboxId, 'paused');
    await expect(runtime.host.exec(sandboxId, ['true'])).rejects.toThrow(/is paused/);
    await send(sandboxResume, { sandboxId });
    await untilState(sandboxId, 'ready');
    expect(await inside(sandboxId, 'echo alive')).toBe('alive\n');
    const states = await until(async () => {
      const found = (await stateEvents(sandboxId)).map((e) => e.data.state);
      return found.length === 4 && found;
    }, 'pause and resume events');
    expect(states).toEqual(['creating', 'ready', 'paused', 'ready']);
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
    const failing = randomUUID();
    await send(sandboxProvision, { ...provisionCommand.data, sandboxId: failing, repo: 'acme/missing' });
    const failed = await untilState(failing, 'failed');
    expect(failed.destroyedAt).toBeInstanceOf(Date);
    const [, event] = await until(async () => {
      const found = await stateEvents(failing);
      return found.length === 2 && found;
    }, 'the failed event');
    expect(event!.data.reason).toMatch(/git ls-remote of acme\/missing failed/);
    expect(event!.data.reason).not.toContain(token);
    expect(runtime.host.has(failing)).toBe(false);
  });

  it('cancel destroys the sandbox, keeping its egress log', async () => {
    await send(sandboxCancel, { sandboxId, runId, reason: 'the run was cancelled' });
    const destroyed = await untilState(sandboxId, 'destroyed');
    expect(destroyed.destroyedAt).toBeInstanceOf(Date);
    expect(runtime.host.has(sandboxId)).toBe(false);
    expect(existsSync(join(dirs.state.path, 'driver/sandboxes', sandboxId))).toBe(false);
    const log = readFileSync(join(dirs.state.path, 'artifacts', sandboxId, 'egress.jsonl'), 'utf8');
    expect(log).toMatch(/"kind":"git".*"status":200/);
    const last = (
      await until(async () => {
        const found = await stateEvents(sandboxId);
        return found.length === 5 && found;
      }, 'the destroyed event')
    ).at(-1)!;
    expect(last.data).toMatchObject({ state: 'destroyed', reason: 'the run was cancelled' });
  });

  it('rebuilds a snapshot when main moved and collects the old one; a current one is left alone', async () => {
    const builtEvents = async () =>
      (await fetchAll('EVT'))
        .map((m) => m.json<Envelope<{ commit: string; removed: string[] }>>())
        .filter((e) => e.subject === 'hzn.evt.sandbox.snapshot_built');
    await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    const rebuilt = await until(async () => {
      const events = await builtEvents();
      return events.length === 2 && events[1];
    }, 'the rebuild');
    expect(rebuilt.data.commit).toBe(commits[1]);
    expect(rebuilt.data.removed).toHaveLength(1);

    const before = await acks();
    await send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    await until(async () => (await acks()) > before, 'the second refresh');
    expect(await builtEvents()).toHaveLength(2);
  });
});
