import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import {
  envelopeFor,
  forgeOpenPullRequest,
  runFinished,
  sandboxArtifactRecorded,
  workItemCreated,
  workItemStateChanged,
  type BrowserCheckResult,
  type Contract,
  type DataOf,
} from '@horizon/contracts';
import { LocalForgeClient } from '@horizon/local-forge-client';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import { freePort, gitIn, sampleRepository, startForge, until, type ForgeUnderTest } from '@horizon/testing';
import { NotifierModule } from '../src/app.module';
import { configShape } from '../src/config';

const CONSOLE = 'https://console.acme.test';

/**
 * The browser check in a run's PR summary, on the real local forge and notifier (in process,
 * one database and stream prefix): an implement run's PR body and a revise run's comment link
 * the change screenshots and diffs through the console — also when the evidence is announced
 * after the message that writes the summary, as sandbox-manager announces it.
 */
describe('notifier links browser evidence from the PR', () => {
  let forge: ForgeUnderTest;
  let notifier: INestApplication;
  let conn: JetStreamConnection;
  let api: LocalForgeClient;
  let source: string;
  let work: string;
  let commitSha: string;
  const head = `horizon/${randomUUID().slice(0, 8)}-restyle`;
  const workItemId = randomUUID();

  const publish = <C extends Contract>(contract: C, data: DataOf<C>) =>
    new Publisher(conn).publish(envelopeFor(contract, data, { source: 'test' }));
  /** What sandbox-manager announces for one page of a round: its change screenshot, DOM and diff. */
  const pageEvidence = async (runId: string, page: string, round: number, changedRatio: number) => {
    const ids = { change: randomUUID(), diff: randomUUID() };
    const announce = (
      artifactId: string,
      kind: 'screenshot' | 'dom_snapshot' | 'visual_diff',
      target: string,
    ) =>
      publish(sandboxArtifactRecorded, {
        artifactId,
        runId,
        sandboxId: randomUUID(),
        kind,
        uri: `nats-object://HZN_ARTIFACTS/runs/${runId}/browser/${target}-r${round}/${page}`,
        contentType: kind === 'dom_snapshot' ? 'text/html' : 'image/png',
        sizeBytes: 10,
        metadata: {
          page,
          path: `/${page}`,
          target,
          round,
          ...(kind === 'visual_diff' ? { changedRatio } : {}),
        },
      });
    await announce(randomUUID(), 'screenshot', 'base');
    await announce(ids.change, 'screenshot', 'change');
    await announce(randomUUID(), 'dom_snapshot', 'change');
    await announce(ids.diff, 'visual_diff', 'diff');
    await announce(ids.diff, 'visual_diff', 'diff'); // the publisher's retry
    return ids;
  };
  const link = (runId: string, artifactId: string) => `${CONSOLE}/api/runs/${runId}/evidence/${artifactId}`;
  const checks = (round: number, change: Omit<BrowserCheckResult, 'target' | 'round'>) => [
    { target: 'base' as const, round: 0, outcome: 'passed' as const, problems: [], summary: '1 page' },
    { target: 'change' as const, round, ...change },
  ];
  const pull = () =>
    until(async () => (await api.listPulls('acme', 'shop', 'all')).find((p) => p.headRef === head), 'the PR');

  beforeAll(async () => {
    forge = await startForge();
    source = sampleRepository();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-browser-'));
    api = new LocalForgeClient({ baseUrl: forge.url, token: forge.token });
    await api.createRepository({ owner: 'acme', name: 'shop', from: source });
    const remote = `http://x-access-token:${forge.token}@127.0.0.1:${forge.port}/acme/shop.git`;
    await gitIn(work, ['clone', '-q', remote, 'w']);
    const clone = path.join(work, 'w');
    await gitIn(clone, ['checkout', '-q', '-b', head]);
    fs.writeFileSync(path.join(clone, 'cart.css'), '.cart { color: teal; }\n');
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'restyle']);
    await gitIn(clone, ['push', '-q', 'origin', head]);
    commitSha = await gitIn(clone, ['rev-parse', 'HEAD']);
    const port = await freePort();
    const config = parseConfig(configShape, {
      ...forge.env,
      NOTIFIER_PORT: String(port),
      FORGE_URL: forge.url,
      CONSOLE_PUBLIC_URL: `${CONSOLE}/`,
    });
    notifier = await startService({ name: 'notifier', module: NotifierModule.register(config), port });
    conn = await JetStreamConnection.connect({
      natsUrl: forge.env.NATS_URL!,
      prefix: forge.env.HZN_STREAM_PREFIX!,
      name: 'notifier-browser-test',
    });
  });

  afterAll(async () => {
    await notifier?.close();
    await conn?.close();
    await forge?.close();
    for (const dir of [source, work]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the implement run's browser check in the PR body, its links waiting for the evidence", async () => {
    const runId = randomUUID();
    const summary = '1 page; 1 of 1 changed from the base';
    // The command first: the evidence reaches the notifier after it, as on a busy host.
    await publish(forgeOpenPullRequest, {
      workItemId,
      runId,
      repo: 'acme/shop',
      forge: 'local',
      head,
      base: 'main',
      commitSha,
      title: 'Restyle the cart',
      body: 'Teal cart.',
      verification: [{ command: 'npm test', exitCode: 0, durationMs: 900 }],
      browser: checks(0, { outcome: 'passed', problems: [], summary }),
      ownerId: null,
    });
    const ids = await pageEvidence(runId, 'cart', 0, 0.25);

    const pr = await pull();
    expect(pr.body).toContain(`**Browser check:** passed — ${summary}`);
    expect(pr.body).toContain(
      `- \`cart\`: [change](${link(runId, ids.change)}) · [diff, 25.0% changed](${link(runId, ids.diff)})`,
    );
    // Base screenshots and DOM snapshots are for the console's run page, not the PR.
    expect(pr.body!.match(/\/evidence\//g)).toHaveLength(2);
    const kept = await forge.db.pool.query(
      `SELECT count(*)::int AS n FROM notifier."NotificationBrowserEvidence" WHERE "runId" = $1`,
      [runId],
    );
    expect(kept.rows[0].n).toBe(3);
    // And a check run of its own on the pushed commit, beside the verification's.
    const checkRuns = await until(async () => {
      const found = await api.checkRuns('acme', 'shop', commitSha);
      return found.some((c) => c.name === 'Horizon browser check') && found;
    }, 'the browser check run on the commit');
    expect(checkRuns.find((c) => c.name === 'Horizon browser check')).toMatchObject({
      conclusion: 'success',
      summary,
    });
  });

  it("comments a revise run's failed browser check on the PR, evidence announced after run.finished", async () => {
    const pr = await pull();
    const pullRequest = {
      provider: 'local' as const,
      repo: { forge: 'local' as const, owner: 'acme', name: 'shop' },
      number: pr.number,
      url: `${forge.url}/acme/shop/pull/${pr.number}`,
      branch: head,
    };
    const item = { workItemId, kind: 'implement' as const, repo: 'acme/shop', title: 'Restyle the cart' };
    await publish(workItemCreated, { ...item, state: 'received', ownerId: null, sourceRefs: {} });
    await publish(workItemStateChanged, {
      workItemId,
      from: 'in_review',
      to: 'revising',
      cause: 'changes requested',
      runId: null,
      sourceRefs: { pullRequest },
    });
    const events = conn.naming.stream('EVT');
    const published = (await conn.jsm.streams.info(events)).state.last_seq;
    await until(async () => {
      const info = await conn.jsm.consumers.info(events, 'notifier-events');
      return info.ack_floor.stream_seq >= published && info.num_ack_pending === 0;
    }, 'the notifier to learn the item’s PR');

    const runId = randomUUID();
    const problem = 'cart: console error: TypeError: `price` is undefined';
    await publish(runFinished, {
      runId,
      workItemId,
      outcome: 'failed',
      reason: 'the browser check failed',
      usage: null,
      durationMs: 9000,
      branch: head,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      browser: checks(1, { outcome: 'failed', problems: [problem, 'home: 404'], summary: '2 pages' }),
    });
    const ids = await pageEvidence(runId, 'cart', 1, 0);
    await pageEvidence(runId, 'cart', 0, 0.5); // an earlier round's: not linked

    const comment = await until(async () => {
      const comments = await api.comments('acme', 'shop', pr.number);
      return comments.find((c) => c.body.includes('Horizon could not revise'));
    }, 'the revise comment');
    expect(comment.body).toContain(
      "**Browser check:** failed: `cart: console error: TypeError: 'price' is undefined`",
    );
    expect(comment.body).toContain(
      `- \`cart\`: [change](${link(runId, ids.change)}) · [diff, unchanged](${link(runId, ids.diff)})`,
    );
    expect(comment.body.match(/\/evidence\//g)).toHaveLength(2);
  });
});
