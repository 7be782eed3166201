import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { apiWorkItemCreate, githubPullRequest, sandboxArtifactRecorded } from '@horizon/contracts';
import { OrchestratorStack, until } from './harness';
import { createRequest, pullRequestClosed } from '@horizon/testing';

describe('orchestrator over real Postgres and JetStream: deadlines, infra failures, a crash mid-transition', () => {
  let stack: OrchestratorStack;
  const held = new Set<string>();

  beforeAll(async () => {
    stack = await OrchestratorStack.start({
      env: {
        RUN_DEADLINE_MS: '1500',
        WATCHDOG_INTERVAL_MS: '100',
        WATCHDOG_DEADLINE_GRACE_MS: '100',
        WATCHDOG_PROVISIONING_TIMEOUT_MS: '1000',
        RETRY_MAX_ATTEMPTS: '2',
        RETRY_BASE_DELAY_MS: '200',
        SCHEDULER_INTERVAL_MS: '100',
      },
    });
    stack.standIn.behaviour = (cmd) => (held.has(cmd.workItemId) ? 'hold' : 'succeed');
  });

  afterAll(async () => {
    await stack.stop();
  });

  /** Creates an item whose runs the stand-in only records; returns it with its first provision command. */
  async function heldItem(title: string) {
    const data = createRequest({ title });
    held.add(data.workItemId);
    await stack.publish(apiWorkItemCreate, data);
    const provision = await until(
      () => stack.standIn.provisionsFor(data.workItemId)[0],
      `${title} provision`,
    );
    return { id: data.workItemId, provision: provision.data };
  }

  it('a run past its deadline is timed out by the watchdog and its sandbox cancelled', async () => {
    const { id, provision } = await heldItem('Never finishes');
    await stack.standIn.progress(provision, 'harness');
    await stack.waitForState(id, 'running');
    await stack.waitForState(id, 'timed_out', 5000);
    const cancel = await until(
      () => stack.standIn.cancels.find((c) => c.data.runId === provision.runId),
      'sandboxCancel',
    );
    expect(cancel.data.sandboxId).toBe(provision.sandboxId);
    expect(cancel.data.reason).toMatch(/^run deadline .* passed; in running since/);
    expect((await stack.runsOf(id))[0]!.outcome).toBe('timed_out');
  });

  it("records an ended run's artifacts from sandbox-manager's events, once each, and none of an unknown run", async () => {
    const { id, provision } = await heldItem('Leaves a transcript');
    // The watchdog ends the run first (nothing reports for it); its files still count.
    await until(async () => (await stack.runsOf(id))[0]?.outcome, 'the watchdog to end the run', 8000);
    const artifact = {
      artifactId: randomUUID(),
      runId: provision.runId,
      sandboxId: provision.sandboxId,
      kind: 'transcript' as const,
      uri: 'file:///var/lib/horizon/sandbox/artifacts/transcript.jsonl',
      contentType: 'application/jsonl',
      sizeBytes: 42,
      metadata: { summary: 'the agent regenerated the lock file' },
    };
    const unknownRun = randomUUID();
    const sent = [
      await stack.publish(sandboxArtifactRecorded, artifact),
      // Announced again under another envelope (a replayed outbox row, a restarted host): still one row.
      await stack.publish(sandboxArtifactRecorded, artifact),
      await stack.publish(sandboxArtifactRecorded, {
        ...artifact,
        artifactId: randomUUID(),
        runId: randomUUID(),
      }),
    ];
    await until(async () => {
      const claimed = await stack.query(
        `SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = ANY($1::text[])`,
        [sent.map((e) => e.id)],
      );
      return claimed.length === sent.length;
    }, 'the three artifact events to be handled');
    const rows = await stack.query<{
      id: string;
      runId: string;
      kind: string;
      sizeBytes: number;
      metadata: unknown;
    }>(
      `SELECT id::text, "runId"::text, kind, "sizeBytes", metadata FROM "Artifact" WHERE "runId" = $1 OR id = $2`,
      [provision.runId, artifact.artifactId],
    );
    expect(rows).toEqual([
      {
        id: artifact.artifactId,
        runId: provision.runId,
        kind: 'transcript',
        sizeBytes: 42,
        metadata: artifact.metadata,
      },
    ]);
    expect(await stack.query(`SELECT 1 FROM "Artifact" WHERE "runId" = $1`, [unknownRun])).toEqual([]);
  });

  it('an infra failure is retried after back-off, and fails the item once no attempt is left', async () => {
    const { id, provision } = await heldItem('Flaky infra');
    await stack.standIn.finish(provision, 'infra_error', 'sandbox image missing');
    const second = await until(() => stack.standIn.provisionsFor(id)[1], 'the second attempt');
    expect(second.data.branch).toBe(provision.branch);
    expect(await stack.transitionsOf(id)).toEqual([
      'received→queued',
      'queued→provisioning',
      'provisioning→queued',
      'queued→provisioning',
    ]);
    await stack.standIn.finish(second.data, 'infra_error', 'sandbox image missing');
    await stack.waitForState(id, 'failed');
    const runs = await stack.runsOf(id);
    expect(runs.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'infra_error'],
      [2, 'infra_error'],
    ]);
    const [failure] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'failed'`,
      [id],
    );
    expect(failure!.cause).toBe('infra failure on attempt 2 of 2, none left: sandbox image missing');
  });

  it('an agent failure is final, with its reason', async () => {
    const { id, provision } = await heldItem('Agent gives up');
    await stack.standIn.progress(provision, 'harness');
    await stack.standIn.finish(provision, 'failed', 'tests still red after 3 tries');
    await stack.waitForState(id, 'failed');
    expect(stack.standIn.provisionsFor(id)).toHaveLength(1);
    const [failure] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'failed'`,
      [id],
    );
    expect(failure!.cause).toBe('agent failure is final: tests still red after 3 tries');
  });

  it('a sandbox that never reports is retried by the watchdog, then the item fails', async () => {
    const { id, provision } = await heldItem('Silent sandbox');
    const second = await until(() => stack.standIn.provisionsFor(id)[1], 'the retry', 5000);
    expect(stack.standIn.cancels.some((c) => c.data.runId === provision.runId)).toBe(true);
    await stack.waitForState(id, 'failed', 5000);
    // The cancel is relayed from the outbox after the commit that failed the item: wait for it.
    await until(
      () => stack.standIn.cancels.some((c) => c.data.runId === second.data.runId),
      'the second cancel',
      5000,
    );
    expect((await stack.runsOf(id)).map((r) => r.outcome)).toEqual(['infra_error', 'infra_error']);
  });

  it('stopped mid-transition (its transaction killed before commit) and restarted, applies the merge once', async () => {
    const a = createRequest({ title: 'Crash blocker' });
    await stack.publish(apiWorkItemCreate, a);
    await until(() => stack.item(a.workItemId), 'A recorded');
    const b = createRequest({ title: 'Crash dependent', blockedBy: [a.workItemId] });
    await stack.publish(apiWorkItemCreate, b);
    await stack.waitForState(a.workItemId, 'in_review');
    await stack.waitForState(b.workItemId, 'blocked');
    const { branch } = await stack.item(a.workItemId);

    // Hold B's row so the merge transaction stops mid-way: after its claim and A's transitions, before commit.
    const locker = new pg.Client({ connectionString: stack.db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM orchestrator."WorkItem" WHERE id = $1 FOR UPDATE', [b.workItemId]);
    const merge = await stack.publish(
      githubPullRequest,
      pullRequestClosed({ branch: branch!, number: 7, merged: true }),
    );
    const [blocked] = await until(async () => {
      const rows = await stack.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
        [stack.db.name],
      );
      return rows.length ? rows : null;
    }, 'the merge transaction to wait on the lock');

    // Stop the service while the handler is inside its transaction, and kill that transaction as a crash would.
    const stopping = stack.stopApp();
    await stack.query('SELECT pg_cancel_backend($1)', [blocked!.pid]);
    await stopping;
    await locker.query('ROLLBACK');
    await locker.end();

    expect((await stack.item(a.workItemId)).state).toBe('in_review');
    expect((await stack.item(b.workItemId)).state).toBe('blocked');
    expect(
      await stack.query('SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = $1', [merge.id]),
    ).toHaveLength(0);
    expect(stack.standIn.provisionsFor(b.workItemId)).toHaveLength(0);

    await stack.boot();
    await until(
      () => stack.standIn.provisionsFor(b.workItemId).length === 1,
      'B provision after restart',
      10_000,
    );
    expect((await stack.item(a.workItemId)).state).toBe('done');
    expect((await stack.transitionsOf(a.workItemId)).filter((t) => t === 'in_review→merged')).toHaveLength(1);
    expect(
      await stack.query('SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = $1', [merge.id]),
    ).toHaveLength(1);
    await stack.waitForState(b.workItemId, 'in_review');
    expect(await stack.runsOf(b.workItemId)).toHaveLength(1);
  });
});
