import {
  fleetCreated,
  fleetFinished,
  fleetProgressed,
  forgeOpenPullRequest,
  forgeUpdateFleetLinks,
  githubPullRequest,
  orchestratorCancelFleet,
  orchestratorCreateFleet,
  orchestratorGetFleet,
  orchestratorRetryFleet,
} from '@horizon/contracts';
import type { BrowserCheckResult, Envelope, EnvelopeOf, FleetRequest } from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';
import { pullRequestClosed } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * Fleets on the real orchestrator (Postgres, JetStream), the sandbox stand-in playing the runs:
 * fan-out under the cap, outcomes folded into the table, linked PRs, cancel, retry, and a
 * restart (and a second replica) mid-fan-out that loses no child and records none twice.
 */
describe('orchestrator over real Postgres and JetStream: fleets', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;
  const opened: EnvelopeOf<typeof forgeOpenPullRequest>[] = [];
  const links: EnvelopeOf<typeof forgeUpdateFleetLinks>[] = [];
  const events: {
    subject: string;
    data: { fleetId: string; progress?: { counts: Record<string, number> } };
  }[] = [];

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SCHEDULER_INTERVAL_MS: '100' } });
    stack.standIn.behaviour = () => 'hold';
    await stack.consume(
      'forge-recorder',
      'CMD',
      'hzn.cmd.forge.>',
      new Map([
        [
          forgeOpenPullRequest.subject,
          (env) => void opened.push(env as EnvelopeOf<typeof forgeOpenPullRequest>),
        ],
        [
          forgeUpdateFleetLinks.subject,
          (env) => void links.push(env as EnvelopeOf<typeof forgeUpdateFleetLinks>),
        ],
      ]),
    );
    const record = (env: Envelope) => void events.push(env as (typeof events)[number]);
    await stack.consume(
      'fleet-observer',
      'EVT',
      'hzn.evt.fleet.>',
      new Map([
        [fleetCreated.subject, record],
        [fleetProgressed.subject, record],
        [fleetFinished.subject, record],
      ]),
    );
    rpc = new RpcClient(stack.connection, 'fleets-test');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const create = (fleet: Partial<FleetRequest> & { repos: string[] }) =>
    rpc.call(orchestratorCreateFleet, {
      fleet: {
        title: fleet.title ?? 'Bump the linter',
        prompt: 'Bump eslint to 9 and fix what it reports.',
        selector: { repos: fleet.repos },
        cap: fleet.cap ?? 2,
        priority: 5,
        ...(fleet.verify ? { verify: fleet.verify } : {}),
      },
      ownerId: null,
      requestedBy: 'api-token:test',
    });
  const show = (fleetId: string) => rpc.call(orchestratorGetFleet, { fleetId });
  const provisionsOf = (repos: string[]) =>
    stack.standIn.provisions.filter((p) => repos.includes(p.data.repo));

  it('runs at most the cap at once, folds outcomes into the table, links the PRs, and retries the failed', async () => {
    const repos = ['acme/f-a', 'acme/f-b', 'acme/f-c', 'acme/f-d', 'acme/f-e'];
    const fleet = await create({ repos, cap: 2, verify: ['npm run lint'] });
    expect(fleet.progress.total).toBe(5);

    const firstTwo = await until(() => provisionsOf(repos).length === 2 && provisionsOf(repos), 'two runs');
    await new Promise((r) => setTimeout(r, 500));
    expect(provisionsOf(repos)).toHaveLength(2); // the cap holds the other three back
    // The first two given; they start in parallel transactions, so in either order.
    expect(firstTwo.map((p) => p.data.repo).sort()).toEqual(['acme/f-a', 'acme/f-b']);
    expect(firstTwo[0]!.data.verify).toEqual(['npm run lint']);
    expect((await show(fleet.id)).fleet.progress).toMatchObject({
      inFlight: 2,
      counts: { queued: 3, running: 2 },
    });

    const finish = async (
      repo: string,
      outcome: 'succeeded' | 'failed' | 'not_applicable',
      reason: string | null,
      browser?: BrowserCheckResult[],
    ) => {
      const cmd = await until(() => provisionsOf([repo]).at(-1), `the run of ${repo}`);
      await stack.standIn.finish(cmd.data, outcome, reason, `${repo}: done`, browser);
      return cmd;
    };
    const browser: BrowserCheckResult[] = [
      { target: 'change', round: 0, outcome: 'passed', problems: [], summary: '1 page' },
    ];
    await finish('acme/f-a', 'succeeded', null, browser);
    await finish('acme/f-b', 'not_applicable', 'no .eslintrc here: nothing to bump');
    await finish('acme/f-c', 'failed', '`npm run lint` failed (exit 1)');
    await finish('acme/f-d', 'succeeded', null);
    await finish('acme/f-e', 'succeeded', null);

    const table = await until(async () => {
      const got = await show(fleet.id);
      return got.fleet.state === 'finished' && got;
    }, 'the fleet to finish');
    expect(table.children.map((c) => [c.repo, c.state, c.reason])).toEqual([
      ['acme/f-a', 'in_review', null],
      ['acme/f-b', 'not_applicable', 'no .eslintrc here: nothing to bump'],
      ['acme/f-c', 'failed', '`npm run lint` failed (exit 1)'],
      ['acme/f-d', 'in_review', null],
      ['acme/f-e', 'in_review', null],
    ]);
    expect(table.fleet.progress).toMatchObject({ etaSeconds: 0, medianChildMs: 5, inFlight: 0 });
    // The same as events: created, progress as children moved, finished once nothing waited.
    const mine = await until(() => {
      const of = events.filter((e) => e.data.fleetId === fleet.id);
      return of.some((e) => e.subject === fleetFinished.subject) && of;
    }, 'the fleet finished event');
    expect(mine[0]!.subject).toBe(fleetCreated.subject);
    const progressed = mine.filter((e) => e.subject === fleetProgressed.subject);
    expect(progressed.some((e) => e.data.progress!.counts.running === 2)).toBe(true);
    expect(mine.filter((e) => e.subject === fleetFinished.subject)).toHaveLength(1);
    expect(mine.find((e) => e.subject === fleetFinished.subject)!.data.progress!.counts).toMatchObject({
      in_review: 3,
      not_applicable: 1,
      failed: 1,
    });

    // Three PRs asked for, each naming the fleet; no PR for the one with nothing to change.
    const prs = await until(() => {
      const mine = opened.filter((o) => repos.includes(o.data.repo));
      return mine.length === 3 && mine;
    }, 'three open_pull_request commands');
    expect(prs.map((p) => p.data.repo).sort()).toEqual(['acme/f-a', 'acme/f-d', 'acme/f-e']);
    for (const pr of prs) expect(pr.data.body).toContain(`**Fleet** “Bump the linter” (\`${fleet.id}\`)`);
    // The run's browser checks go with its PR, for the notifier to write in the body.
    expect(prs.map((p) => p.data.browser ?? null)).toEqual(
      prs.map((p) => (p.data.repo === 'acme/f-a' ? browser : null)),
    );

    // The forge reports each PR opened: every child's body is rewritten to link its siblings.
    let number = 40;
    for (const pr of prs) {
      const data = pullRequestClosed({ branch: pr.data.head, number: ++number, merged: false });
      const [owner, name] = pr.data.repo.split('/') as [string, string];
      await stack.publish(githubPullRequest, {
        ...data,
        action: 'opened',
        repository: { ...data.repository!, owner, name, fullName: pr.data.repo },
        pullRequest: {
          ...data.pullRequest,
          merged: false,
          mergedBy: null,
          htmlUrl: `http://forge/${pr.data.repo}/pull/${number}`,
        },
      });
    }
    const last = await until(() => {
      const forA = links.filter((l) => l.data.repo === 'acme/f-a').at(-1);
      return forA?.data.section.includes('acme/f-e') && forA.data.section.includes('acme/f-d') && forA;
    }, 'acme/f-a to link both siblings');
    expect(last.data.section).not.toContain('acme/f-a:');
    expect((await show(fleet.id)).children.filter((c) => c.pullRequest).length).toBe(3);

    // Retry runs the failed one again (only it), and the fleet is running until it ends.
    const retried = await rpc.call(orchestratorRetryFleet, {
      fleetId: fleet.id,
      requestedBy: 'api-token:test',
    });
    expect(retried.retried).toEqual(['acme/f-c']);
    const second = await until(() => provisionsOf(['acme/f-c'])[1], 'the retry run');
    await stack.standIn.finish(second.data, 'succeeded', null, 'fixed');
    await until(
      async () => (await show(fleet.id)).children[2]?.state === 'in_review',
      'the retried child in review',
    );
    expect((await show(fleet.id)).children[2]).toMatchObject({ attempts: 2, state: 'in_review' });
    await expect(
      rpc.call(orchestratorRetryFleet, { fleetId: fleet.id, requestedBy: 'x' }),
    ).rejects.toMatchObject({
      code: 'nothing_to_retry',
    });
  });

  it('cancel stops every run in flight and fans out nothing more', async () => {
    const repos = Array.from({ length: 6 }, (_, i) => `acme/c-${i}`);
    const fleet = await create({ repos, cap: 2 });
    await until(() => provisionsOf(repos).length === 2, 'two runs');
    const cancelled = await rpc.call(orchestratorCancelFleet, {
      fleetId: fleet.id,
      requestedBy: 'api-token:test',
    });
    expect(cancelled.state).toBe('cancelled');
    const { children } = await until(async () => {
      const got = await show(fleet.id);
      return got.children.every((c) => c.state === 'cancelled') && got;
    }, 'every child cancelled');
    expect(children).toHaveLength(6);
    const stopped = await stack.query<{ outcome: string }>(
      `SELECT r.outcome::text FROM "Run" r JOIN "WorkItem" w ON w.id = r."workItemId" WHERE w.repo LIKE 'acme/c-%'`,
    );
    expect(stopped).toEqual([{ outcome: 'cancelled' }, { outcome: 'cancelled' }]);
    await new Promise((r) => setTimeout(r, 400));
    expect(provisionsOf(repos)).toHaveLength(2);
  });

  it('refuses a glob that matches no repository it knows, and an unknown fleet', async () => {
    await expect(
      rpc.call(orchestratorCreateFleet, {
        fleet: { title: 't', prompt: 'p', selector: { glob: 'nobody/*' }, cap: 1, priority: 5 },
        ownerId: null,
        requestedBy: 'x',
      }),
    ).rejects.toThrow(/the glob nobody\/\* matches none of the \d+ repositories Horizon knows/);
    const err = await show('00000000-0000-4000-8000-000000000000').catch((e: RpcError) => e);
    expect(err).toMatchObject({ code: 'not_found' });
  });

  it('a glob picks the known repositories; a restart and a second replica mid-fan-out lose and double nothing', async () => {
    const repos = Array.from({ length: 120 }, (_, i) => `acme/r-${String(i).padStart(3, '0')}`);
    const fleet = await create({ repos, cap: 1 });
    await stack.stopApp(); // mid-fan-out: batches of 25 were being recorded
    const before = await stack.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "FleetChild" WHERE "fleetId" = $1 AND "dispatchedAt" IS NOT NULL`,
      [fleet.id],
    );
    expect(before[0]!.n).toBeLessThan(120);
    await Promise.all([stack.boot(), stack.bootReplica()]);
    await until(
      async () => {
        const [row] = await stack.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "FleetChild" WHERE "fleetId" = $1 AND "dispatchedAt" IS NOT NULL`,
          [fleet.id],
        );
        return row!.n === 120;
      },
      'every child fanned out',
      20_000,
    );
    const items = await stack.query<{ repo: string; n: number }>(
      `SELECT repo, count(*)::int AS n FROM "WorkItem" WHERE "sourceRefs"->'fleet'->>'id' = $1 GROUP BY repo`,
      [fleet.id],
    );
    expect(items).toHaveLength(120);
    expect(items.every((i) => i.n === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(provisionsOf(repos)).toHaveLength(1); // cap 1, across both replicas

    const byGlob = await rpc.call(orchestratorCreateFleet, {
      fleet: { title: 'glob', prompt: 'p', selector: { glob: 'acme/f-*' }, cap: 1, priority: 9 },
      ownerId: null,
      requestedBy: 'x',
    });
    expect(byGlob.progress.total).toBe(5);
    expect((await show(byGlob.id)).children.map((c) => c.repo)).toEqual([
      'acme/f-a',
      'acme/f-b',
      'acme/f-c',
      'acme/f-d',
      'acme/f-e',
    ]);
    await rpc.call(orchestratorCancelFleet, { fleetId: byGlob.id, requestedBy: 'x' });
    await rpc.call(orchestratorCancelFleet, { fleetId: fleet.id, requestedBy: 'x' });
  }, 60_000);
});
