import { randomUUID } from 'node:crypto';
import {
  envelopeFor,
  sandboxCancel,
  sandboxPause,
  sandboxProvision,
  workItemFollowUp,
  type Envelope,
  type RunnerInput,
} from '@horizon/contracts';
import { emptyReport } from '@horizon/runner-launch';
import type { SandboxHandle } from '@horizon/sandbox';
import type {
  AgentLauncher,
  AgentRunOptions,
  BootRequest,
  RunJournal,
  SandboxHost,
  SandboxRecord,
  SandboxRepository,
  SandboxTransaction,
  SnapshotRefresher,
} from './ports';
import { SandboxService } from './sandbox.service';

/** Postgres as the service sees it: rows, the inbox, and the outbox, all-or-nothing per transaction. */
class InMemorySandboxRepository implements SandboxRepository {
  rows = new Map<string, SandboxRecord>();
  claimed = new Set<string>();
  outbox: Envelope[] = [];

  async find(id: string) {
    return this.rows.get(id) ?? null;
  }
  async liveOn(host: string) {
    return [...this.rows.values()].filter(
      (r) => r.host === host && ['creating', 'ready', 'paused'].includes(r.state),
    );
  }
  async transaction<T>(claim: string | null, work: (tx: SandboxTransaction) => Promise<T>) {
    if (claim && this.claimed.has(claim)) return { applied: false } as const;
    const rows = new Map([...this.rows].map(([k, v]) => [k, { ...v }]));
    const published: Envelope[] = [];
    const value = await work({
      get: async (id) => rows.get(id) ?? null,
      insert: async (record) => void rows.set(record.id, { ...record, snapshotRef: null, destroyedAt: null }),
      update: async (id, change) => void rows.set(id, { ...rows.get(id)!, ...change }),
      publish: (envelope) => void published.push(envelope),
    });
    if (claim) this.claimed.add(claim);
    this.rows = rows;
    this.outbox.push(...published);
    return { applied: true, value } as const;
  }
}

class RecordingHost implements SandboxHost {
  readonly driverKind = 'local' as const;
  readonly name = 'host-a';
  readonly alive = new Set<string>();
  readonly calls: string[] = [];
  bootFailure: Error | null = null;
  /** When set, a boot waits for it: a sandbox still booting. */
  bootGate: Promise<void> | null = null;

  async boot(request: BootRequest) {
    this.calls.push(`boot ${request.sandboxId}`);
    if (this.bootGate) await this.bootGate;
    if (this.bootFailure) throw this.bootFailure;
    this.alive.add(request.sandboxId);
    return {
      handle: {} as SandboxHandle,
      snapshotRef: `${request.repo}/${request.flavour}/s1`,
      commit: 'c1',
      timings: { snapshotMs: 0, bootMs: 0 },
    };
  }
  has(id: string) {
    return this.alive.has(id);
  }
  list() {
    return [...this.alive];
  }
  async exec(): Promise<never> {
    throw new Error('not used');
  }
  async pause(id: string) {
    this.calls.push(`pause ${id}`);
  }
  async resume(id: string) {
    this.calls.push(`resume ${id}`);
  }
  async destroy(id: string) {
    this.calls.push(`destroy ${id}`);
    this.alive.delete(id);
  }
}

const noSnapshots: SnapshotRefresher = {
  refresh: async () => {
    throw new Error('not used');
  },
  refreshAll: async () => [],
  onBuiltOnDemand: () => {},
};

function provision(sandboxId = randomUUID()) {
  return envelopeFor(
    sandboxProvision,
    {
      sandboxId,
      runId: randomUUID(),
      workItemId: randomUUID(),
      repo: 'acme/app',
      baseRef: 'main',
      branch: 'horizon/x',
      flavour: 'implement',
      prompt: 'p',
      resources: { memoryMiB: 256, cpuMillis: 500, maxProcesses: 32 },
      deadlineAt: new Date().toISOString(),
      ownerId: null,
    },
    { source: 'test' },
  );
}

describe('SandboxService', () => {
  let repository: InMemorySandboxRepository;
  let host: RecordingHost;
  let service: SandboxService;
  const states = (id: string) =>
    repository.outbox
      .filter((e) => (e.data as { sandboxId?: string }).sandboxId === id)
      .map((e) => (e.data as { state: string }).state);

  beforeEach(() => {
    repository = new InMemorySandboxRepository();
    host = new RecordingHost();
    service = new SandboxService(repository, host, noSnapshots, { finalWriteRetryMs: 1 });
  });

  it('provisions once, however often the command is delivered', async () => {
    const command = provision();
    expect(await service.provision(command)).toEqual({ kind: 'applied', state: 'ready', reason: null });
    expect(await service.provision(command)).toEqual({
      kind: 'ignored',
      reason: 'provision already handled',
    });
    expect(host.calls).toEqual([`boot ${command.data.sandboxId}`]);
    expect(states(command.data.sandboxId)).toEqual(['creating', 'ready']);
    expect(repository.rows.get(command.data.sandboxId)).toMatchObject({
      state: 'ready',
      snapshotRef: 'acme/app/implement/s1',
      host: 'host-a',
    });
  });

  it('records a boot that fails as failed, with the reason, caused by the command', async () => {
    host.bootFailure = new Error('bubblewrap: /usr/bin/bwrap not found');
    const command = provision();
    expect(await service.provision(command)).toMatchObject({ kind: 'applied', state: 'failed' });
    const failed = repository.outbox.at(-1)!;
    expect(failed).toMatchObject({
      causationId: command.id,
      data: { state: 'failed', reason: 'bubblewrap: /usr/bin/bwrap not found' },
    });
    expect(repository.rows.get(command.data.sandboxId)!.destroyedAt).toBeInstanceOf(Date);
  });

  it('reports an unknown sandbox, and refuses a pause of a destroyed one without touching the host', async () => {
    const id = randomUUID();
    expect(await service.pause(envelopeFor(sandboxPause, { sandboxId: id }, { source: 't' }))).toMatchObject({
      kind: 'unknown',
    });
    const command = provision(id);
    await service.provision(command);
    await service.cancel(
      envelopeFor(
        sandboxCancel,
        { sandboxId: id, runId: command.data.runId, reason: 'done' },
        { source: 't' },
      ),
    );
    expect(await service.pause(envelopeFor(sandboxPause, { sandboxId: id }, { source: 't' }))).toEqual({
      kind: 'rejected',
      reason: 'cannot pause a sandbox that is destroyed',
    });
    expect(host.calls).toEqual([`boot ${id}`, `destroy ${id}`]);
    expect(states(id)).toEqual(['creating', 'ready', 'destroyed']);
  });

  it('leaves a sandbox of another host to that host', async () => {
    const id = randomUUID();
    await service.provision(provision(id));
    repository.rows.get(id)!.host = 'host-b';
    expect(await service.pause(envelopeFor(sandboxPause, { sandboxId: id }, { source: 't' }))).toEqual({
      kind: 'rejected',
      reason: `sandbox ${id} lives on host-b, not host-a`,
    });
  });

  it('on stop waits for a sandbox still booting and destroys it too, leaving nothing mounted', async () => {
    let release!: () => void;
    host.bootGate = new Promise((resolve) => (release = resolve));
    const booting = randomUUID();
    const provisioned = service.provision(provision(booting));
    await new Promise((r) => setImmediate(r));
    const stopped = service.shutdown();
    release();
    await provisioned;
    expect(await stopped).toBe(1);
    expect(host.calls).toEqual([`boot ${booting}`, `destroy ${booting}`]);
    expect(host.alive.size).toBe(0);
    expect(repository.rows.get(booting)!.state).toBe('failed');
  });

  it('on start fails live records the host no longer has; on stop destroys and fails what it has', async () => {
    const lost = randomUUID();
    const kept = randomUUID();
    await service.provision(provision(lost));
    await service.provision(provision(kept));
    host.alive.delete(lost);
    expect(await service.reconcile()).toBe(1);
    expect(repository.rows.get(lost)!.state).toBe('failed');
    expect(repository.rows.get(kept)!.state).toBe('ready');
    expect(await service.shutdown()).toBe(1);
    expect(host.alive.size).toBe(0);
    expect(repository.outbox.at(-1)!.data).toMatchObject({
      sandboxId: kept,
      state: 'failed',
      reason: expect.stringMatching(/stopped/),
    });
  });
});

/** A runner stand-in: what it was given to read, and a run that ends when the test says. */
class RecordingLauncher implements AgentLauncher {
  readonly refusal = null;
  readonly read: RunnerInput[] = [];
  private end: () => void = () => undefined;

  async run(_target: unknown, { followUps }: AgentRunOptions) {
    const ended = new Promise<void>((resolve) => (this.end = resolve));
    void (async () => {
      for await (const followUp of followUps) this.read.push(followUp);
    })();
    await ended;
    return { report: emptyReport('cancelled', 'the test ended it'), artifacts: [] };
  }

  finish(): void {
    this.end();
  }
}

const noJournal: RunJournal = {
  record: async () => undefined,
  read: async () => null,
  artifacts: async () => [],
};

describe('SandboxService follow-ups', () => {
  let host: RecordingHost;
  let launcher: RecordingLauncher;
  let service: SandboxService;
  let errors: Error[];
  const followUp = (workItemId: string, runId: string | null, text = 'Also add a changelog.') =>
    envelopeFor(
      workItemFollowUp,
      { workItemId, runId, text, origin: 'slack', author: 'ada' },
      { source: 't' },
    );
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    errors = [];
    host = new RecordingHost();
    launcher = new RecordingLauncher();
    service = new SandboxService(new InMemorySandboxRepository(), host, noSnapshots, {
      finalWriteRetryMs: 1,
      agent: { launcher, journal: noJournal, onError: (error) => errors.push(error) },
    });
  });
  afterEach(() => expect(errors).toEqual([]));

  it("passes one to the run it names, or to the work item's run when it names none", async () => {
    const command = provision();
    const { runId, workItemId, sandboxId } = command.data;
    await service.provision(command);
    const named = followUp(workItemId, runId);
    expect(service.followUp(named)).toEqual({ kind: 'passed', runId, sandboxId });
    expect(service.followUp(followUp(workItemId, null, 'And a test.'))).toEqual({
      kind: 'passed',
      runId,
      sandboxId,
    });
    await settle();
    expect(launcher.read).toEqual([
      { type: 'follow_up', id: named.id, text: 'Also add a changelog.', origin: 'slack', author: 'ada' },
      expect.objectContaining({ text: 'And a test.' }),
    ]);
    launcher.finish();
  });

  it('keeps one that comes while the sandbox boots for the runner', async () => {
    const command = provision();
    let boot!: () => void;
    const booting = new Promise<void>((resolve) => (boot = resolve));
    const hostBoot = host.boot.bind(host);
    host.boot = async (request) => {
      await booting;
      return hostBoot(request);
    };
    const provisioning = service.provision(command);
    await settle();
    expect(service.followUp(followUp(command.data.workItemId, command.data.runId))).toMatchObject({
      kind: 'passed',
    });
    boot();
    await provisioning;
    await settle();
    expect(launcher.read).toHaveLength(1);
    launcher.finish();
  });

  it('passes none to a run that is not here, has ended, or never booted; nor an empty one', async () => {
    const unknown = randomUUID();
    expect(service.followUp(followUp(randomUUID(), unknown))).toEqual({
      kind: 'not_passed',
      reason: `run ${unknown} is not running on this host`,
    });
    const item = randomUUID();
    expect(service.followUp(followUp(item, null))).toEqual({
      kind: 'not_passed',
      reason: `no run of work item ${item} is running on this host`,
    });
    const ended = provision();
    await service.provision(ended);
    expect(service.followUp(followUp(ended.data.workItemId, ended.data.runId, '  '))).toEqual({
      kind: 'not_passed',
      reason: 'the follow-up has no text',
    });
    launcher.finish();
    await settle();
    await settle();
    expect(service.followUp(followUp(ended.data.workItemId, ended.data.runId))).toMatchObject({
      kind: 'not_passed',
    });
    host.bootFailure = new Error('no bwrap');
    const failed = provision();
    await service.provision(failed);
    expect(service.followUp(followUp(failed.data.workItemId, failed.data.runId))).toMatchObject({
      kind: 'not_passed',
    });
  });
});
