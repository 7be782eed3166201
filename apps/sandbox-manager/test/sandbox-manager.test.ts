import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  sandboxCancel,
  sandboxPause,
  sandboxModelUsage,
  sandboxProvision,
  sandboxRefreshSnapshots,
  sandboxIntegrationStatus,
  sandboxResume,
  type DataOf,
  type Envelope,
} from '@horizon/contracts';
import { HEADER, RpcClient } from '@horizon/messaging';
import { loadScript, type ModelScriptInput, git } from '@horizon/testing';
import { agent, ManagerStack, resources, until, type Finished, type Progress } from './support/manager-stack';

// The service module booted in-process on its own database and stream prefix, with real
// bwrap sandboxes, the bundled agent-runner and real OpenCode, a `git http-backend` forge and
// the scripted model server as the provider, both reached only through the egress proxy.
jest.setTimeout(60_000);

const marker = `horizon-cancel-${randomUUID()}`;

describe('sandbox-manager (real Postgres, JetStream, bwrap, agent-runner, OpenCode, git over HTTP)', () => {
  const stale = { sandboxId: randomUUID(), runId: randomUUID(), workItemId: randomUUID() };
  const elsewhereId = randomUUID();
  let stack: ManagerStack;

  beforeAll(async () => {
    // One provider for the whole suite: the successful run's turns, then the cancelled run's.
    const succeed = loadScript('fix-greeting.yaml');
    const sleep = loadScript('sleep.yaml');
    stack = await ManagerStack.start({
      model: {
        script: { ...succeed, steps: [...succeed.steps, ...sleep.steps] } as ModelScriptInput,
        vars: { workdir: '/workspace', greeting: 'Hello, Horizon', marker },
      },
      // Recorded live before this start: one on this host, lost with its run in a crash; one
      // on another host (not ours).
      beforeStart: async ({ database, hostName, dirs }) => {
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
      },
    });
  });

  afterAll(() => stack?.close());

  it("answers Settings' question about the model provider: configured, and answering with its key", async () => {
    const { checks } = await new RpcClient(stack.conn, 'settings-test').call(sandboxIntegrationStatus, {});
    expect(checks).toEqual([
      expect.objectContaining({
        integration: 'model',
        service: 'sandbox-manager',
        configured: true,
        answering: true,
        detail: expect.stringContaining(`answering at ${new URL(stack.model.baseUrl).origin}`),
      }),
    ]);
    expect(JSON.stringify(checks)).not.toContain(stack.apiKey);
  });
  it('on start, ends a run lost in a restart with infra_error and fails its sandbox; other hosts are left alone', async () => {
    expect(await stack.row(stale.sandboxId)).toMatchObject({
      state: 'failed',
      destroyedAt: expect.any(Date),
    });
    expect(await stack.row(elsewhereId)).toMatchObject({ state: 'ready' });
    const finished = await stack.untilFinished(stale.runId);
    expect(finished.data).toMatchObject({
      workItemId: stale.workItemId,
      outcome: 'infra_error',
      reason: 'sandbox-manager restarted',
    });
    const [failed] = await stack.stateEvents(stale.sandboxId);
    expect(failed!.data).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/restarted; the sandbox \(ready\) no longer exists/),
    });
  });

  it('reports the host isolation primitives in /readyz', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.port}/readyz`);
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
    let provisionedAt: number;

    beforeAll(async () => {
      await stack.send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
      const built = await until(
        async () => (await stack.events()).find((e) => e.subject === 'hzn.evt.sandbox.snapshot_built'),
        'snapshot_built',
      );
      // It carries what .horizon/config.yaml declares at that commit, for the orchestrator's schedules.
      expect(built.data).toMatchObject({
        commit: stack.commits[0],
        removed: [],
        schedules: [
          {
            name: 'nightly-sweep',
            cron: '0 3 * * *',
            timezone: 'UTC',
            title: 'Nightly sweep',
            prompt: 'Fix one flaky test.',
            flavour: 'implement',
          },
        ],
      });
      // main moves on after the snapshot: the run must start from the new commit.
      stack.mergeToMain({ 'README.md': 'v1\n' });
      provisionedAt = Date.now();
      command = await stack.provision(runId, workItemId, branch, 'Make the greeting name Horizon.');
      finished = await stack.untilFinished(runId);
    });

    it('publishes run.finished succeeded, caused by the provision, with the commit', () => {
      expect(stack.model.failures).toEqual([]);
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

    it("announces each model request's usage exactly as the provider reported it, through the proxy", async () => {
      // Every answer the provider gave since the provision was to this run's agent, through its proxy.
      const answered = stack.model.requests.filter((r) => r.usage && r.receivedAt >= provisionedAt);
      expect(answered.length).toBeGreaterThan(1);
      const usage = await until(async () => {
        const events = (await stack.events()).filter(
          (e) => e.subject === sandboxModelUsage.subject && e.data.runId === runId,
        ) as Envelope<DataOf<typeof sandboxModelUsage>>[];
        return events.length === answered.length ? events.map((e) => e.data) : undefined;
      }, 'a model_usage event per model request');
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      expect(sum(usage.map((u) => u.inputTokens))).toBe(sum(answered.map((r) => r.usage!.input)));
      expect(sum(usage.map((u) => u.outputTokens))).toBe(sum(answered.map((r) => r.usage!.output)));
      expect(new Set(usage.map((u) => u.usageId)).size).toBe(usage.length);
      for (const u of usage) {
        expect(u).toMatchObject({
          sandboxId: command.data.sandboxId,
          provider: 'openai-compatible',
          reported: true,
          status: 200,
        });
        // The scripted model has no price: unpriced, not free.
        expect(u.costUsd).toBeNull();
      }
      // The same counts on /metrics, by provider and model; no cost for an unpriced model.
      const metrics = await (await fetch(`http://127.0.0.1:${stack.port}/metrics`)).text();
      const labels = 'provider="openai-compatible",model="scripted"';
      const value = (name: string, extra: string) =>
        Number(new RegExp(`^${name}\\{${labels},${extra}[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
      expect(value('hzn_model_tokens_total', 'kind="input"')).toBe(sum(answered.map((r) => r.usage!.input)));
      expect(value('hzn_model_tokens_total', 'kind="output"')).toBe(
        sum(answered.map((r) => r.usage!.output)),
      );
      expect(value('hzn_model_requests_total', 'priced="false"')).toBe(answered.length);
      expect(metrics).not.toMatch(/^hzn_model_cost_usd_total\{/m);
    });

    it('the commit is on the run branch in the forge, on the newer main, with the trailers', () => {
      const sha = finished.data.commitSha!;
      expect(git(stack.bare, 'rev-parse', `refs/heads/${branch}`)).toBe(sha);
      expect(git(stack.bare, 'rev-parse', `${sha}^`)).toBe(stack.commits[1]);
      expect(git(stack.bare, 'log', '-1', '--format=%an <%ae>', sha)).toBe(`${agent.name} <${agent.email}>`);
      expect(git(stack.bare, 'log', '-1', '--format=%(trailers:key=Horizon-Run,valueonly)', sha)).toBe(runId);
      expect(git(stack.bare, 'log', '-1', '--format=%(trailers:key=Horizon-Work-Item,valueonly)', sha)).toBe(
        workItemId,
      );
      expect(git(stack.bare, 'log', '-1', '--format=%(trailers:key=Co-authored-by,valueonly)', sha)).toBe(
        `${agent.name} <${agent.email}>`,
      );
    });

    it('published every runner event as run.progress, in seq order, before run.finished', async () => {
      const all = await stack.events();
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

    it('destroys the sandbox after the run and records it, announcing each artifact for the orchestrator', async () => {
      const sandboxId = command.data.sandboxId;
      const destroyed = await stack.untilState(sandboxId, 'destroyed');
      expect(destroyed.destroyedAt).toBeInstanceOf(Date);
      expect(stack.runtime.host.has(sandboxId)).toBe(false);
      expect(existsSync(join(stack.dirs.state.path, 'driver/sandboxes', sandboxId))).toBe(false);
      expect((await stack.stateEvents(sandboxId)).map((e) => [e.data.state, e.data.reason])).toEqual([
        ['creating', null],
        ['ready', null],
        ['destroyed', 'run succeeded'],
      ]);
      const announced = await stack.artifactEvents(runId);
      const artifacts = announced.map((e) => e.data).sort((a, b) => a.kind.localeCompare(b.kind));
      expect(artifacts.map((a) => a.kind)).toEqual(['egress_log', 'transcript', 'verification_log']);
      for (const e of announced) expect(e.causationId).toBe(command.id);
      for (const a of artifacts) expect(a.sandboxId).toBe(sandboxId);
      const files = Object.fromEntries(
        artifacts.map((a) => [a.kind, readFileSync(fileURLToPath(a.uri), 'utf8')] as const),
      );
      for (const a of artifacts) expect(a.sizeBytes).toBe(Buffer.byteLength(files[a.kind]!));
      expect(files.transcript!.trim().split('\n')).toHaveLength(
        (await stack.runEvents(runId)).progress.length,
      );
      expect(files.verification_log).toContain('$ node --test');
      expect(files.egress_log).toMatch(/"kind":"git".*"status":200/);
    });
  });

  describe('a run cancelled mid-command', () => {
    const runId = randomUUID();
    let command: Envelope<DataOf<typeof sandboxProvision>>;

    beforeAll(async () => {
      command = await stack.provision(runId, randomUUID(), 'horizon/run-2', 'Run the long command.');
    });

    it('acks the provision while the run goes on; pause and resume freeze and thaw it', async () => {
      const sandboxId = command.data.sandboxId;
      await stack.untilState(sandboxId, 'ready');
      // `[h]orizon-…` matches the command but not this shell's own command line.
      await until(
        async () => (await stack.inside(sandboxId, `pgrep -f "[h]${marker.slice(1)}" || true`)).trim() !== '',
        'the agent to run its long command',
        // OpenCode's start and the first turns: ~7 s alone, several times that on a loaded 2-core host.
        60_000,
      );
      const provisionAcked = await until(async () => {
        const info = await stack.conn.jsm.consumers.info(
          stack.conn.naming.stream('CMD'),
          'sandbox-manager-cmd',
        );
        return info.num_ack_pending === 0 && info.num_pending === 0 && info;
      }, 'the provision to be acked');
      expect(provisionAcked.num_ack_pending).toBe(0);
      expect((await stack.runEvents(runId)).finished).toBeUndefined();

      await stack.send(sandboxPause, { sandboxId });
      await stack.untilState(sandboxId, 'paused');
      await expect(stack.runtime.host.exec(sandboxId, ['true'])).rejects.toThrow(/is paused/);
      await stack.send(sandboxResume, { sandboxId });
      await stack.untilState(sandboxId, 'ready');
    }, 120_000);

    it('treats a redelivered provision as a no-op', async () => {
      const before = await stack.acks();
      const h = natsHeaders();
      h.set(HEADER.type, command.type);
      // Same envelope, new Nats-Msg-Id: JetStream stores it again, as a redelivery would arrive.
      await stack.publisher.publishRaw(
        stack.conn.naming.subject(command.subject),
        new TextEncoder().encode(JSON.stringify(command)),
        h,
        `redelivery-${command.id}`,
      );
      await until(async () => (await stack.acks()) > before, 'the redelivery to be acked');
      expect((await stack.stateEvents(command.data.sandboxId)).map((e) => e.data.state)).toEqual([
        'creating',
        'ready',
        'paused',
        'ready',
      ]);
      expect(await stack.database.prisma.sandbox.count({ where: { id: command.data.sandboxId } })).toBe(1);
    });

    it('cancel stops the agent: run.finished cancelled, the sandbox destroyed with the reason', async () => {
      const sandboxId = command.data.sandboxId;
      const cancelledAt = Date.now();
      const cancel = await stack.send(sandboxCancel, {
        sandboxId,
        runId,
        reason: 'the work item was cancelled',
      });
      const finished = await stack.untilFinished(runId);
      expect(Date.now() - cancelledAt).toBeLessThan(15_000);
      expect(finished.data).toMatchObject({ outcome: 'cancelled', commitSha: null, branch: null });
      await stack.untilState(sandboxId, 'destroyed');
      expect(stack.runtime.host.has(sandboxId)).toBe(false);
      const last = (await stack.stateEvents(sandboxId)).at(-1)!;
      expect(last.data).toMatchObject({ state: 'destroyed', reason: 'the work item was cancelled' });
      expect(last.causationId).toBe(cancel.id);
      expect(git(stack.bare, 'branch', '--list', 'horizon/run-2')).toBe('');
    });
  });

  it('no credential appears in any published event; the provider got the key from the proxy', async () => {
    const published = (await stack.fetchAll('EVT')).map((m) => new TextDecoder().decode(m.data));
    expect(published.some((text) => text.includes('"hzn.evt.run.progress"'))).toBe(true);
    for (const text of published) {
      expect(text).not.toContain(stack.token);
      expect(text).not.toContain(stack.apiKey);
    }
    const step = stack.model.requests.find((r) => r.kind === 'step')!;
    expect(step.headers.authorization).toBe(`Bearer ${stack.apiKey}`);
  });

  it('dead-letters a command for a sandbox it does not know, with the reason', async () => {
    const unknown = randomUUID();
    const command = await stack.send(sandboxPause, { sandboxId: unknown });
    const dead = await until(async () => {
      const messages = await stack.fetchAll('DLQ');
      return messages.find((m) => m.json<Envelope>().id === command.id);
    }, 'the dead letter');
    expect(dead.headers?.get(HEADER.dlqReason)).toBe(
      `sandbox ${unknown} is not known to sandbox-manager (after 3 deliveries)`,
    );
    expect(await stack.row(unknown)).toBeNull();
  });

  it('fails a provision whose repository does not exist, naming why without the token', async () => {
    const data = {
      ...stack.provisionData(randomUUID(), randomUUID(), 'horizon/run-3', 'x'),
      repo: 'acme/missing',
    };
    await stack.send(sandboxProvision, data);
    const failingId = data.sandboxId;
    await stack.untilState(failingId, 'failed');
    const [, event] = await until(async () => {
      const found = await stack.stateEvents(failingId);
      return found.length === 2 && found;
    }, 'the failed event');
    expect(event!.data.reason).toMatch(/git ls-remote of acme\/missing failed/);
    expect(event!.data.reason).not.toContain(stack.token);
    expect(stack.runtime.host.has(failingId)).toBe(false);
  });

  it('rebuilds a snapshot when main moved and collects the old one; a current one is left alone', async () => {
    await stack.send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    const rebuilt = await until(async () => {
      const found = await stack.snapshotsBuilt();
      return found.length === 2 && found[1];
    }, 'the rebuild');
    expect(rebuilt.data.commit).toBe(stack.commits[1]);
    expect(rebuilt.data.removed).toHaveLength(1);

    const before = await stack.acks();
    await stack.send(sandboxRefreshSnapshots, { repo: 'acme/app', flavours: ['implement'] });
    await until(async () => (await stack.acks()) > before, 'the second refresh');
    expect(await stack.snapshotsBuilt()).toHaveLength(2);
  });

  it('after a merge, a setup_changed refresh keeps the snapshot for an AGENTS.md change and rebuilds it for a new setup', async () => {
    const refreshAfterMerge = () =>
      stack.send(sandboxRefreshSnapshots, {
        repo: 'acme/app',
        flavours: ['implement', 'plan'],
        when: 'setup_changed',
      });
    const series = join(stack.dirs.state.path, 'snapshots', 'acme__app');
    const built = (await stack.snapshotsBuilt()).length;

    // Text only: a run reads it from its own checkout (its base is fetched over the snapshot).
    stack.mergeToMain({ 'AGENTS.md': 'Run `node --test` before pushing.\n' });
    const acked = await stack.acks();
    await refreshAfterMerge();
    await until(async () => (await stack.acks()) > acked, 'the text-only refresh');
    expect(await stack.snapshotsBuilt()).toHaveLength(built);
    // No run here booted a plan sandbox: no plan series is built.
    expect(existsSync(join(series, 'plan'))).toBe(false);

    // What setup runs changed: the series is rebuilt at HEAD with it, announced, the old one collected.
    const config = readFileSync(join(stack.origin, '.horizon/config.yaml'), 'utf8');
    stack.mergeToMain({
      '.horizon/config.yaml': config.replace('> built.txt', '> built.txt && echo second setup >> built.txt'),
    });
    await refreshAfterMerge();
    const rebuilt = await until(async () => (await stack.snapshotsBuilt())[built], 'the setup rebuild');
    expect(rebuilt.data).toMatchObject({
      flavour: 'implement',
      commit: stack.commits.at(-1),
      removed: [expect.any(String)],
    });
    expect(readFileSync(join(series, 'implement', rebuilt.data.snapshotId, 'built.txt'), 'utf8')).toContain(
      'second setup',
    );
    expect(await stack.snapshotsBuilt()).toHaveLength(built + 1);
  });
});
