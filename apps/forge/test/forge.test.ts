import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractFor, Envelope } from '@horizon/contracts';
import { LocalForgeAdapter, LocalForgeApiError, LocalForgeClient } from '@horizon/local-forge-client';
import { ForgeUnderTest, gitIn, sampleRepository, startForge, until } from '@horizon/testing';

/** The outbox rows in order, each checked against its contract. */
async function outbox(forge: ForgeUnderTest): Promise<Envelope[]> {
  const { rows } = await forge.db.pool.query<{ envelope: Envelope }>(
    'SELECT envelope FROM "OutboxEvent" ORDER BY seq',
  );
  return rows.map((r) => {
    const contract = contractFor(r.envelope.subject);
    expect(contract).toBeDefined();
    contract!.data.parse(r.envelope.data);
    return r.envelope;
  });
}

const summary = (e: Envelope) => {
  const d = e.data as { delivery: { event: string; action: string | null } };
  return `${d.delivery.event}:${d.delivery.action}`;
};

describe('local forge (real git over smart HTTP, Postgres, outbox → JetStream)', () => {
  let forge: ForgeUnderTest;
  let source: string;
  let work: string;
  let remote: string;
  let api: LocalForgeClient;

  beforeAll(async () => {
    forge = await startForge();
    source = sampleRepository();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-work-'));
    remote = `http://x-access-token:${forge.token}@127.0.0.1:${forge.port}/acme/app.git`;
    api = new LocalForgeClient({ baseUrl: forge.url, token: forge.token, user: 'ann' });
  });
  afterAll(async () => {
    await forge.close();
    fs.rmSync(source, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('imports a local repository and serves clone and push only with the token', async () => {
    const repo = await api.createRepository({ owner: 'acme', name: 'app', from: source });
    expect(repo).toMatchObject({ owner: 'acme', name: 'app', defaultBranch: 'main' });
    await expect(api.createRepository({ owner: 'acme', name: 'app' })).rejects.toMatchObject({ status: 422 });
    await expect(api.createRepository({ owner: '..', name: 'x' })).rejects.toMatchObject({ status: 422 });

    await gitIn(work, ['clone', '-q', remote, 'app']);
    expect(fs.readFileSync(path.join(work, 'app', 'add.ts'), 'utf8')).toContain('a + b');

    const noToken = `http://127.0.0.1:${forge.port}/acme/app.git`;
    await expect(gitIn(work, ['clone', '-q', noToken, 'refused'])).rejects.toThrow(
      /Authentication failed|could not read Username/,
    );
    const badToken = `http://x-access-token:wrong@127.0.0.1:${forge.port}/acme/app.git`;
    await expect(gitIn(work, ['ls-remote', badToken])).rejects.toThrow(/Authentication failed/);
    const api401 = await fetch(`${forge.url}/api/v1/repos`);
    expect(api401.status).toBe(401);
    const missing = await fetch(`${forge.url}/acme/nope.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Bearer ${forge.token}` },
    });
    expect(missing.status).toBe(404);

    const clone = path.join(work, 'app');
    await gitIn(clone, ['checkout', '-q', '-b', 'feature/sub']);
    fs.writeFileSync(path.join(clone, 'sub.ts'), 'export const sub = (a: number, b: number) => a - b;\n');
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'add sub']);
    await gitIn(clone, ['push', '-q', 'origin', 'feature/sub']);
    expect((await api.branches('acme', 'app')).map((b) => b.name).sort()).toEqual(['feature/sub', 'main']);
    // A push with no pull request open emits nothing.
    expect(await outbox(forge)).toEqual([]);
  });

  it('runs a pull request through diff, reviews, a push, approval and a real merge commit', async () => {
    const clone = path.join(work, 'app');
    const bot = new LocalForgeAdapter({ baseUrl: forge.url, token: forge.token, user: 'horizon[bot]' });
    const pr = await bot.createPullRequest(
      { owner: 'acme', repo: 'app' },
      { head: 'feature/sub', base: 'main', title: 'Add sub', body: 'Adds sub.' },
    );
    expect(pr).toMatchObject({
      number: 1,
      author: 'horizon[bot]',
      state: 'open',
      headSha: await gitIn(clone, ['rev-parse', 'HEAD']),
    });
    await expect(
      api.createPull('acme', 'app', { head: 'feature/sub', title: 'again' }),
    ).rejects.toMatchObject({ status: 422 });

    const diff = await bot.getDiff({ owner: 'acme', repo: 'app' }, 1);
    expect(diff).toContain('diff --git a/sub.ts b/sub.ts');
    expect(diff).toContain('+export const sub');
    expect(diff).not.toContain('add.ts');

    await expect(api.merge('acme', 'app', 1)).rejects.toMatchObject({
      status: 405,
      message: expect.stringContaining('approving review'),
    });
    await expect(api.as('horizon[bot]').review('acme', 'app', 1, { event: 'APPROVE' })).rejects.toMatchObject(
      { status: 422 },
    );

    const review = await api.review('acme', 'app', 1, {
      event: 'REQUEST_CHANGES',
      body: 'Please handle negatives',
      comments: [{ path: 'sub.ts', line: 1, body: '@horizon add a test for negatives' }],
    });
    expect(await bot.listReviewComments({ owner: 'acme', repo: 'app' }, 1, review.id)).toEqual([
      {
        id: expect.any(Number),
        author: 'ann',
        body: '@horizon add a test for negatives',
        path: 'sub.ts',
        line: 1,
      },
    ]);
    await bot.comment({ owner: 'acme', repo: 'app' }, 1, 'On it.');

    fs.writeFileSync(path.join(clone, 'sub.spec.ts'), 'test("negatives", () => {});\n');
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'test negatives']);
    await gitIn(clone, ['push', '-q', 'origin', 'feature/sub']);
    const newHead = await gitIn(clone, ['rev-parse', 'HEAD']);
    expect((await api.pull('acme', 'app', 1)).headSha).toBe(newHead);

    await expect(api.merge('acme', 'app', 1)).rejects.toMatchObject({
      status: 405,
      message: expect.stringContaining('changes requested by ann'),
    });
    await api.review('acme', 'app', 1, { event: 'APPROVE' });
    const detail = await api.pull('acme', 'app', 1);
    expect(detail).toMatchObject({ approved: true, mergeable: true, mergeableReason: null });
    const merged = await api.merge('acme', 'app', 1);
    expect(merged).toMatchObject({ state: 'closed', merged: true, mergedBy: 'ann' });
    await expect(api.merge('acme', 'app', 1)).rejects.toMatchObject({ status: 405 });

    await gitIn(clone, ['fetch', '-q', 'origin']);
    const mergeLine = await gitIn(clone, ['rev-list', '--parents', '-n', '1', 'origin/main']);
    const [mergeSha, ...parents] = mergeLine.split(' ');
    expect(mergeSha).toBe(merged.mergeCommitSha);
    expect(parents).toEqual([await gitIn(clone, ['rev-parse', 'main']), newHead]);
    expect(await gitIn(clone, ['show', 'origin/main:sub.ts'])).toContain('a - b');
    // A merged pull request's diff is still what it changed.
    expect(await api.diff('acme', 'app', 1)).toContain('+export const sub');

    const events = await outbox(forge);
    expect(events.map(summary)).toEqual([
      'pull_request:opened',
      'pull_request_review_comment:created',
      'pull_request_review:submitted',
      'issue_comment:created',
      'pull_request:synchronize',
      'pull_request_review:submitted',
      'pull_request:closed',
    ]);
    for (const e of events) {
      expect(e.id).toMatch(/^local:[0-9a-f-]{36}$/);
      expect(e.data).toMatchObject({
        delivery: { source: 'local' },
        installationId: null,
        repository: { owner: 'acme', name: 'app', fullName: 'acme/app', id: expect.any(Number) },
      });
    }
    expect(events[0]!.data).toMatchObject({
      sender: { login: 'horizon[bot]', type: 'Bot' },
      pullRequest: { number: 1, headRef: 'feature/sub' },
    });
    expect(events[2]!.data).toMatchObject({
      review: { state: 'changes_requested', author: 'ann' },
      sender: { login: 'ann', type: 'User' },
    });
    expect(events[4]!.data).toMatchObject({ action: 'synchronize', pullRequest: { headSha: newHead } });
    expect(events[6]!.data).toMatchObject({
      action: 'closed',
      pullRequest: { merged: true, mergedBy: 'ann' },
    });

    // The forge's own relay puts each on HZN_INGRESS under its envelope id.
    const onStream = await until(async () => {
      const messages = await forge.ingressMessages();
      return messages.length >= events.length && messages;
    }, 'the events on HZN_INGRESS');
    expect(onStream.map((m) => m.envelope.id)).toEqual(events.map((e) => e.id));
    expect(onStream.map((m) => m.subject)).toEqual(
      events.map((e) => `${forge.env.HZN_STREAM_PREFIX}.${e.subject}`),
    );
    // And each stays in the forge's own outbox, marked sent once published.
    const sent = await until(async () => {
      const { rows } = await forge.db.pool.query<{ id: string }>(
        'SELECT id FROM "OutboxEvent" WHERE "sentAt" IS NOT NULL ORDER BY seq',
      );
      return rows.length >= events.length && rows.map((r) => r.id);
    }, 'the outbox rows marked sent');
    expect(sent).toEqual(events.map((e) => e.id));

    // A delivery replays from the forge's outbox under a new id, caused by the original.
    const first = events[0]!;
    const deliveryId = (first.data as { delivery: { deliveryId: string } }).delivery.deliveryId;
    const replayed = await api.replayDelivery(deliveryId);
    expect(replayed).toMatchObject({ originalId: first.id, subject: first.subject });
    expect(replayed.envelopeId).toMatch(new RegExp(`^${first.id}:replay:`));
    const again = await until(async () => {
      const messages = await forge.ingressMessages();
      return messages.find((m) => m.envelope.id === replayed.envelopeId);
    }, 'the replay on HZN_INGRESS');
    expect(again.envelope).toMatchObject({ causationId: first.id, data: first.data });
    await expect(api.replayDelivery('no-such-delivery')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a conflicting merge and records a check run on the head commit', async () => {
    const clone = path.join(work, 'app');
    await gitIn(clone, ['checkout', '-q', '-b', 'conflict', 'origin/main']);
    fs.writeFileSync(path.join(clone, 'README.md'), '# conflict A\n');
    await gitIn(clone, ['commit', '-q', '-am', 'A']);
    await gitIn(clone, ['push', '-q', 'origin', 'conflict']);
    await gitIn(clone, ['checkout', '-q', '-b', 'other', 'origin/main']);
    fs.writeFileSync(path.join(clone, 'README.md'), '# conflict B\n');
    await gitIn(clone, ['commit', '-q', '-am', 'B']);
    await gitIn(clone, ['push', '-q', 'origin', 'other:main']);

    const pr = await api.as('bob').createPull('acme', 'app', { head: 'conflict', title: 'Conflicting' });
    await api.review('acme', 'app', pr.number, { event: 'APPROVE' });
    expect(await api.pull('acme', 'app', pr.number)).toMatchObject({
      mergeable: false,
      mergeableReason: expect.stringContaining('README.md'),
    });
    await expect(api.merge('acme', 'app', pr.number)).rejects.toMatchObject({
      status: 405,
      message: expect.stringContaining('conflict'),
    });

    const bot = new LocalForgeAdapter({ baseUrl: forge.url, token: forge.token, user: 'horizon[bot]' });
    const check = await bot.createCheckRun(
      { owner: 'acme', repo: 'app' },
      {
        headSha: pr.headSha,
        name: 'horizon/verify',
        results: [{ command: 'npm test', exitCode: 1, durationMs: 1200, output: 'FAIL' }],
      },
    );
    expect(check.conclusion).toBe('failure');
    expect(await api.checkRuns('acme', 'app', pr.headSha)).toEqual([
      expect.objectContaining({
        name: 'horizon/verify',
        conclusion: 'failure',
        headSha: pr.headSha,
        summary: expect.stringContaining('npm test'),
      }),
    ]);
    expect(await api.checkRuns('acme', 'app', 'f'.repeat(40))).toEqual([]);
    const last = (await outbox(forge)).at(-1)!;
    expect(last.subject).toBe('hzn.ingress.github.check');
    expect(last.data).toMatchObject({
      check: { conclusion: 'failure', headSha: pr.headSha, pullRequestNumbers: [pr.number] },
    });

    await bot.updatePullRequest({ owner: 'acme', repo: 'app' }, pr.number, { state: 'closed' });
    expect(await api.listPulls('acme', 'app', 'open')).toEqual([]);
    expect((await api.listPulls('acme', 'app', 'all')).map((p) => p.number)).toEqual([2, 1]);
    await expect(api.pull('acme', 'app', 99)).rejects.toBeInstanceOf(LocalForgeApiError);
  });

  it('after a merge, reports each open pull request on that base it left conflicting, and only those', async () => {
    const clone = path.join(work, 'app');
    await gitIn(clone, ['fetch', '-q', 'origin']);
    const branch = async (name: string, file: string, text: string) => {
      await gitIn(clone, ['checkout', '-q', '-B', name, 'origin/main']);
      fs.writeFileSync(path.join(clone, file), text);
      await gitIn(clone, ['add', '-A']);
      await gitIn(clone, ['commit', '-q', '-m', name]);
      await gitIn(clone, ['push', '-q', '-f', 'origin', name]);
      return api.as('bob').createPull('acme', 'app', { head: name, title: name });
    };
    const first = await branch('menu-soup', 'MENU.md', 'soup\n');
    const rival = await branch('menu-salad', 'MENU.md', 'salad\n');
    const apart = await branch('hours', 'HOURS.md', '9-5\n');
    expect((await api.pull('acme', 'app', rival.number)).mergeable).toBe(true);
    await api.review('acme', 'app', first.number, { event: 'APPROVE' });
    await api.merge('acme', 'app', first.number);

    const events = (await outbox(forge)).slice(-2);
    expect(events.map(summary)).toEqual(['pull_request:closed', 'merge_conflict:null']);
    expect(events[1]).toMatchObject({
      subject: 'hzn.ingress.github.merge_conflict',
      data: {
        pullRequest: { number: rival.number, headRef: 'menu-salad', baseRef: 'main', headSha: rival.headSha },
        mergedNumber: first.number,
        reason: 'merge conflict in MENU.md',
        sender: { login: 'ann' },
      },
    });
    expect((await api.pull('acme', 'app', apart.number)).mergeable).toBe(true);
  });

  it('labels a pull request on GitHub’s issue paths, announcing each label put on and taken off', async () => {
    const [pr, other] = await api.listPulls('acme', 'app', 'open');
    const before = (await outbox(forge)).length;
    const labels = await api.addLabels('acme', 'app', pr!.number, ['needs review', 'horizon:no-autofix']);
    expect(labels).toEqual([
      { id: expect.any(Number), name: 'horizon:no-autofix', color: 'ededed', description: null },
      { id: expect.any(Number), name: 'needs review', color: 'ededed', description: null },
    ]);
    // A label it carries already is no news; a repository's label is one label on every PR.
    expect(await api.addLabels('acme', 'app', pr!.number, ['horizon:no-autofix'])).toEqual(labels);
    expect(await api.addLabels('acme', 'app', other!.number, ['horizon:no-autofix'])).toEqual([labels[0]]);
    expect((await api.pull('acme', 'app', pr!.number)).labels).toEqual(labels);
    const page = await fetch(`${forge.url}/acme/app/pull/${pr!.number}`, {
      headers: { authorization: `Bearer ${forge.token}` },
    });
    expect(await page.text()).toContain('\nlabels: horizon:no-autofix, needs review\n');

    expect(await api.removeLabel('acme', 'app', pr!.number, 'needs review')).toEqual([labels[0]]);
    await expect(api.removeLabel('acme', 'app', pr!.number, 'needs review')).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Label does not exist'),
    });
    await expect(api.addLabels('acme', 'app', pr!.number, [])).rejects.toMatchObject({ status: 400 });
    await expect(api.labels('acme', 'app', 99)).rejects.toMatchObject({ status: 404 });
    expect(await api.labels('acme', 'app', pr!.number)).toEqual([labels[0]]);

    const events = (await outbox(forge)).slice(before);
    expect(events.map((e) => [summary(e), (e.data as { label?: string }).label])).toEqual([
      ['pull_request:labeled', 'needs review'],
      ['pull_request:labeled', 'horizon:no-autofix'],
      ['pull_request:labeled', 'horizon:no-autofix'],
      ['pull_request:unlabeled', 'needs review'],
    ]);
    expect(events[1]).toMatchObject({
      subject: 'hzn.ingress.github.pull_request',
      data: {
        action: 'labeled',
        label: 'horizon:no-autofix',
        pullRequest: { number: pr!.number, headRef: pr!.headRef, merged: false },
        sender: { login: 'ann', type: 'User' },
      },
    });
  });
});
