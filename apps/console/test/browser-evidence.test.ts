import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  runFinished,
  sandboxArtifactRecorded,
  type BrowserCheckResult,
  type BrowserEvidenceMetadata,
  type DataOf,
} from '@horizon/contracts';
import { ArtifactStore } from '@horizon/messaging';
import { createRequest, until } from '@horizon/testing';
import type { RunPage, WorkItemPage } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * A run's browser evidence over real HTTP, Postgres and JetStream (its object store too): kept
 * once from `artifact_recorded`, listed with the run's browser checks on the run page, and
 * served from the artifact store to exactly those who may read the run — DOM snapshots never
 * as HTML of the console's origin.
 */
describe('console browser evidence', () => {
  let hzn: ConsoleUnderTest;
  let store: ArtifactStore;
  let admin: Browser;
  let runId: string;
  const repo = `acme/b${randomUUID().slice(0, 6)}`;
  const item = createRequest({ title: 'Restyle the cart', repo });
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const html = '<!doctype html><script>alert(document.cookie)</script><h1>Cart</h1>';
  const results: BrowserCheckResult[] = [
    { target: 'base', round: 0, outcome: 'passed', problems: [], summary: '2 pages' },
    {
      target: 'change',
      round: 0,
      outcome: 'passed',
      problems: [],
      summary: '2 pages; 1 of 2 changed from the base',
    },
  ];
  const ids = { shot: randomUUID(), diff: randomUUID(), dom: randomUUID(), gone: randomUUID() };

  const get = (path: string, browser = admin) => hzn.request(path, { browser });
  const evidence = async (
    artifactId: string,
    kind: DataOf<typeof sandboxArtifactRecorded>['kind'],
    metadata: Partial<BrowserEvidenceMetadata> | Record<string, unknown>,
    file: { name: string; data?: Uint8Array; contentType: string } | { uri: string },
    run = runId,
  ) => {
    const uri =
      'uri' in file
        ? file.uri
        : file.data
          ? await store.put(file.name, file.data, file.contentType)
          : `nats-object://${store.bucket}/${file.name}`;
    await hzn.publish(sandboxArtifactRecorded, {
      artifactId,
      runId: run,
      sandboxId: randomUUID(),
      kind,
      uri,
      contentType: 'uri' in file ? 'text/plain' : file.contentType,
      sizeBytes: 'uri' in file ? 1 : (file.data?.length ?? 0),
      metadata,
    });
  };
  const consumed = (durable: string) =>
    until(async () => {
      const info = await hzn.conn.jsm.consumers.info(hzn.conn.naming.stream('EVT'), durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, `the console's ${durable} consumer to take every event`);

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    store = new ArtifactStore(hzn.conn);
    await hzn.publish(apiWorkItemCreate, item);
    admin = await hzn.signIn('ada');
    runId = await until(async () => {
      const page = (await (await get(`/api/work-items/${item.workItemId}`)).json()) as WorkItemPage;
      return page.workItem.runs[0]?.id;
    }, 'the orchestrator to start a run');

    const cart = { page: 'cart', path: '/cart', round: 0 };
    const dir = `runs/${runId}/browser`;
    await evidence(
      randomUUID(),
      'screenshot',
      { ...cart, target: 'base' },
      {
        name: `${dir}/base/cart.png`,
        data: png,
        contentType: 'image/png',
      },
    );
    await evidence(
      ids.shot,
      'screenshot',
      { ...cart, target: 'change' },
      {
        name: `${dir}/change-r0/cart.png`,
        data: png,
        contentType: 'image/png',
      },
    );
    await evidence(
      ids.dom,
      'dom_snapshot',
      { ...cart, target: 'change' },
      {
        name: `${dir}/change-r0/cart.html`,
        data: Buffer.from(html),
        contentType: 'text/html',
      },
    );
    const diff = { ...cart, target: 'diff', changedRatio: 0.125 };
    const diffFile = { name: `${dir}/diff-r0/cart.png`, data: png, contentType: 'image/png' };
    await evidence(ids.diff, 'visual_diff', diff, diffFile);
    await evidence(ids.diff, 'visual_diff', diff, diffFile); // the publisher's retry
    // Recorded, then aged out of the store (never put here).
    await evidence(
      ids.gone,
      'screenshot',
      { ...cart, page: 'home', path: '/', target: 'change' },
      {
        name: `${dir}/change-r0/home.png`,
        contentType: 'image/png',
      },
    );
    // Not kept: not browser evidence, a file only the sandbox host has, metadata of another shape.
    await evidence(randomUUID(), 'transcript', {}, { uri: 'file:///var/lib/horizon/t.jsonl' });
    await evidence(randomUUID(), 'screenshot', { ...cart, target: 'change' }, { uri: 'file:///x.png' });
    await evidence(randomUUID(), 'screenshot', { page: 'cart' }, { name: 'x.png', contentType: 'image/png' });
    await hzn.publish(runFinished, {
      runId,
      workItemId: item.workItemId,
      outcome: 'succeeded',
      reason: null,
      usage: null,
      durationMs: 4000,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      browser: results,
    });
    await consumed('console-run-evidence');
    await consumed('console-runs');
    // The checks are in the orchestrator's view of the run (its report), which its own consumer
    // records from the same event: the console may hear of it first.
    await until(async () => {
      const page = (await (await get(`/api/runs/${runId}`)).json()) as RunPage;
      return page.browser.results.length > 0;
    }, "the orchestrator to record the run's report");
  }, 120_000);
  afterAll(() => hzn?.stop());

  it('lists the run’s browser checks and its evidence in the order it was published, each once', async () => {
    const page = (await (await get(`/api/runs/${runId}`)).json()) as RunPage;
    expect(page.browser.results).toEqual(results);
    expect(page.browser.evidence.map((e) => [e.kind, e.page, e.target])).toEqual([
      ['screenshot', 'cart', 'base'],
      ['screenshot', 'cart', 'change'],
      ['dom_snapshot', 'cart', 'change'],
      ['visual_diff', 'cart', 'diff'],
      ['screenshot', 'home', 'change'],
    ]);
    expect(page.browser.evidence[3]).toEqual({
      id: ids.diff,
      kind: 'visual_diff',
      page: 'cart',
      path: '/cart',
      target: 'diff',
      round: 0,
      changedRatio: 0.125,
      contentType: 'image/png',
      sizeBytes: png.length,
      url: `/api/runs/${runId}/evidence/${ids.diff}`,
    });
  });

  it('serves a screenshot as the image it is, privately cached and never sniffed', async () => {
    const res = await get(`/api/runs/${runId}/evidence/${ids.shot}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('serves a DOM snapshot as a sandboxed plain-text download, never as HTML', async () => {
    const res = await get(`/api/runs/${runId}/evidence/${ids.dom}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="cart-change.html"');
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(html);
  });

  it('answers 404 with the reason for an unknown artifact, another run’s, and one the store lost', async () => {
    const message = async (res: Response) => ((await res.json()) as { message: string }).message;
    const unknown = await get(`/api/runs/${runId}/evidence/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await message(unknown)).toMatch(`run ${runId} has no browser evidence`);

    const otherRun = randomUUID();
    const theirs = randomUUID();
    await evidence(
      theirs,
      'screenshot',
      { page: 'a', path: '/', target: 'base', round: 0 },
      {
        name: `runs/${otherRun}/browser/base/a.png`,
        data: png,
        contentType: 'image/png',
      },
      otherRun,
    );
    await consumed('console-run-evidence');
    const elsewhere = await get(`/api/runs/${runId}/evidence/${theirs}`);
    expect(elsewhere.status).toBe(404);
    expect(await message(elsewhere)).toMatch('has no browser evidence');

    const gone = await get(`/api/runs/${runId}/evidence/${ids.gone}`);
    expect(gone.status).toBe(404);
    expect(await message(gone)).toMatch('no longer has');
  });

  it('serves evidence to exactly those who may read the run', async () => {
    const path = `/api/runs/${runId}/evidence/${ids.shot}`;
    expect((await hzn.request(path)).status).toBe(401);
    const viewer = await hzn.signIn(`viewer-${randomUUID().slice(0, 4)}`, 'viewer', repo);
    expect((await get(path, viewer)).status).toBe(200);
    const outsider = await hzn.signIn(`outsider-${randomUUID().slice(0, 4)}`, 'admin', 'acme/elsewhere');
    const refused = await get(path, outsider);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { message: string }).message).toMatch(/that you may see/);
    expect((await get(`/api/runs/${runId}/evidence/not-an-id`)).status).toBe(400);
  });
});
