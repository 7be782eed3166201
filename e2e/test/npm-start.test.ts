import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import type { Browser } from 'playwright-core';
import { JetStreamConnection } from '@horizon/messaging';
import {
  createStackSandbox,
  dataDirSecrets,
  launchChromium,
  scanDatabaseForSecrets,
  scanForSecrets,
  scanStreamsForSecrets,
  startStack,
  type StackSandbox,
  runCli,
} from '@horizon/testing';
import { ConsoleTour } from './support/console-tour';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm start` on a fresh data directory, as a new user runs it: the whole loop for real, watched
 * in the terminal and, at the same time, in the console in Chromium (one demo run serves both).
 */
describe('npm start on a fresh data directory: the whole loop, for real, in the terminal and the console', () => {
  let stack: StackSandbox;
  let browser: Browser;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    // `npm start` as a user runs it: the services from their bundles, which the test run built.
    stack = await createStackSandbox();
    ({ env, dataDir } = stack);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.remove();
  });

  it(
    'plans three dependent items, implements A, revises it after a review in the console, merges the chain there, and prints the summary',
    async () => {
      // The person in the browser reviews, asks for the change, approves and merges; the demo
      // names each pull request when it waits for them.
      let auth: Record<string, string> = {};
      const running = startStack({
        ...stack,
        env: {
          ...env,
          HORIZON_DEMO_REVIEW: 'console',
          // The demo's scripted agent, and the e2e's for the item made after it (e2e/scripts).
          MODEL_SERVER_SCRIPTS: [
            path.join(ROOT, 'apps', 'cli', 'demo', 'scripts'),
            path.join(ROOT, 'e2e', 'scripts'),
          ].join(':'),
        },
      });
      try {
        // The console's sign-in link comes once every service is ready, before the demo starts.
        const ready = await running.waitFor('to sign in', 3 * 60_000);
        const link = /console: open (http:\/\/\S+\/auth\/sign-in\?token=\S+)/.exec(ready)![1]!;
        const tour = await ConsoleTour.signIn(browser, link);
        const [output] = await Promise.all([
          running.waitFor('Horizon keeps serving', 8 * 60_000),
          tour.reviewDemo((line) => running.waitFor(line, 6 * 60_000)),
        ]);
        expect(output).toContain('[demo] created the sample repository demo/cart on the local forge');
        expect(output).toMatch(
          /your turn: demo\/cart#1 waits for your review at http:\/\/\S+\/pulls\/demo\/cart\/1/,
        );
        expect(output).toMatch(/plan Shopping cart totals: running → done \(planned 3 issue\(s\)/);
        expect(output).toMatch(/B +Add discount codes: received → blocked \(waiting on Add cart subtotal\)/);
        expect(output).toMatch(/A +Add cart subtotal: in_review → revising/);
        expect(output).toMatch(/B +Add discount codes: blocked → queued \(blocker Add cart subtotal merged/);
        expect(output).toMatch(/every item merged in [\d.]+s/);
        const table = output.slice(output.indexOf('ITEM  TITLE'));
        expect(table).toMatch(
          /^A +Add cart subtotal +done +implement ✓ [\d.]+s, revise ✓ [\d.]+s +npm test ✓/m,
        );
        expect(table).toMatch(/^B +Add discount codes +done +implement ✓ [\d.]+s +npm test ✓/m);
        expect(table).toMatch(/^C +Add order total with tax +done +implement ✓ [\d.]+s +npm test ✓/m);
        expect(output).toMatch(/^stages: plan [\d.]+s · A implement [\d.]+s · A revise [\d.]+s/m);
        await expectForgeState(await tour.personName());
        auth = await expectCliAgainstTheStack();
        // Someone for the console's Settings to unlink.
        const grace = ['--name', 'Grace Hopper', '--provider', 'slack', '--external-id', 'U0GRACE'];
        expect((await cli(['identity', 'link', ...grace])).code).toBe(0);
        await tour.visitFinishedWork();
        // New work after the demo, for a person to write to while the agent is at it: made once
        // the tour is free to watch it, since its agent pauses only 30 s for the message.
        const gift = await cli(
          ['work', 'create', '--repo', 'demo/cart', '--title', 'Add a gift message', '--json'],
          auth,
        );
        expect(gift.code).toBe(0);
        await tour.messageTheAgent('Add a gift message');
        await tour.planTogether();
        await tour.launchFleet();
        await tour.reviewFriction();
        expect((await tour.figures()).events).toBeGreaterThan(10);
        await tour.close();
      } finally {
        await running.stop();
      }

      // A second start on the same data directory serves without re-running the demo.
      const pool = new pg.Pool({ connectionString: stack.db.url, max: 1 });
      const again = startStack(stack);
      try {
        const count = async () =>
          Number((await pool.query('SELECT count(*) FROM orchestrator."WorkItem"')).rows[0].count as string);
        const before = await count();
        expect(await again.waitFor('Horizon keeps serving', 2 * 60_000)).toContain(
          'the demo already ran on this data directory',
        );
        expect(await count()).toBe(before);
      } finally {
        await again.stop();
        await pool.end();
      }
      await expectNoSecretLeft(auth.HORIZON_API_TOKEN!);
    },
    12 * 60_000,
  );

  /**
   * After the whole loop: no secret of the installation (the forge's token, the encryption key,
   * the run-token key) nor the API token the CLI made is in any log, transcript, artifact,
   * or sandbox file under the data directory, in the database's rows, nor in any message the
   * streams hold.
   */
  async function expectNoSecretLeft(apiToken: string): Promise<void> {
    const secrets = [...dataDirSecrets(dataDir), { name: 'the work API token', value: apiToken }];
    expect(secrets.map((s) => s.name).sort()).toEqual(
      ['encryption.key', 'forge.token', 'mcp-token.key', 'the work API token'].sort(),
    );
    expect(fs.readdirSync(path.join(dataDir, 'logs')).length).toBeGreaterThan(0);
    expect(scanForSecrets(dataDir, secrets)).toEqual([]);
    expect(scanDatabaseForSecrets(stack.db.url, secrets)).toEqual([]);
    const conn = await JetStreamConnection.connect({
      natsUrl: stack.messaging.natsUrl,
      prefix: stack.messaging.prefix,
      name: 'secret-scan',
    });
    try {
      expect(await scanStreamsForSecrets(conn, secrets)).toEqual([]);
    } finally {
      await conn.close();
    }
  }

  /** The CLI as a user runs it (a separate process), against the stack the demo left running. */
  function cli(args: string[], extra: Record<string, string> = {}) {
    return runCli(args, { ...env, ...extra });
  }

  /** Returns the environment that carries the work API token it made. */
  async function expectCliAgainstTheStack(): Promise<Record<string, string>> {
    const status = await cli(['status', '--json']);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { status: string }[]).every((s) => s.status === 'ready')).toBe(true);

    const token = await cli(['token', 'create', '--name', 'e2e']);
    expect(token.code).toBe(0);
    const auth = { HORIZON_API_TOKEN: token.stdout.trim() };
    const tokens = await cli(['token', 'list']);
    expect(tokens.stdout).toMatch(/^\S+\s+e2e\s+work:read,work:write,triggers:manage\s+active\s/m);
    type Listed = { id: string; kind: string; state: string }[];
    const workList = async (): Promise<Listed> => {
      const list = await cli(['work', 'list', '--repo', 'demo/cart', '--json'], auth);
      expect(list.code).toBe(0);
      return JSON.parse(list.stdout) as Listed;
    };
    // The agent review station's items, one per reviewed head of each PR. The demo ends at the
    // last merge, when the review of that PR's last push may still be running: wait for it.
    const settled = (i: { state: string }) => ['done', 'failed', 'cancelled'].includes(i.state);
    let listed = await workList();
    for (let tries = 0; tries < 60 && !listed.filter((i) => i.kind === 'review').every(settled); tries++) {
      await new Promise((r) => setTimeout(r, 2_000));
      listed = await workList();
    }
    const reviews = listed.filter((i) => i.kind === 'review');
    expect(reviews.every(settled)).toBe(true);
    // Every pull request was reviewed: at least one review of each of the three is done.
    expect(reviews.filter((i) => i.state === 'done').length).toBeGreaterThanOrEqual(3);
    const items = listed.filter((i) => i.kind !== 'review');
    expect(items.map((i) => [i.kind, i.state]).sort()).toEqual([
      ['implement', 'done'],
      ['implement', 'done'],
      ['implement', 'done'],
      ['plan', 'done'],
    ]);
    const plan = items.find((i) => i.kind === 'plan')!;
    const shown = await cli(['work', 'show', plan.id, '--json'], auth);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: plan.id, title: 'Shopping cart totals' });

    const created = await cli(
      [
        'work',
        'create',
        '--repo',
        'demo/cart',
        '--title',
        'Add a free-shipping threshold',
        '--no-auto-start',
        '--json',
      ],
      auth,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ status: 'accepted' });

    const pulls = await cli(['pr', 'list', '--repo', 'demo/cart', '--state', 'all', '--json']);
    expect((JSON.parse(pulls.stdout) as unknown[]).length).toBe(3);
    const diff = await cli(['pr', 'diff', '1', '--repo', 'demo/cart']);
    expect(diff.stdout).toContain('+export function subtotal(');

    const pool = new pg.Pool({ connectionString: stack.db.url, max: 1 });
    try {
      const [run] = (
        await pool.query(`SELECT id::text FROM orchestrator."Run" WHERE "workItemId" = $1`, [plan.id])
      ).rows as { id: string }[];
      const logs = await cli(['run', 'logs', run!.id]);
      expect({ code: logs.code, stderr: logs.stderr }).toEqual({ code: 0, stderr: '' });
      expect(logs.stdout).toMatch(/finished +succeeded/);
      const [delivery] = (
        await pool.query(
          `SELECT envelope->'data'->'delivery'->>'deliveryId' AS "deliveryId" FROM forge."OutboxEvent" LIMIT 1`,
        )
      ).rows as { deliveryId: string }[];
      const replay = await cli(['delivery', 'replay', 'local', delivery!.deliveryId]);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toMatch(/^replayed local:/);

      // People: a Slack account and a local-forge login linked as one person, through identity-broker.
      const ada = await cli([
        'identity',
        'link',
        '--name',
        'Ada Lovelace',
        '--provider',
        'slack',
        '--external-id',
        'U02ADA',
        '--json',
      ]);
      expect(ada.code).toBe(0);
      const person = JSON.parse(ada.stdout) as { id: string };
      expect(person).toMatchObject({
        displayName: 'Ada Lovelace',
        links: [{ provider: 'slack', externalId: 'U02ADA', login: null }],
      });
      const local = await cli([
        'identity',
        'link',
        '--identity',
        person.id,
        '--provider',
        'local',
        '--external-id',
        'ada',
        '--login',
        'ada',
      ]);
      expect(local.code).toBe(0);
      expect(local.stdout).toContain('local   ada (ada)');
      const found = await cli(['identity', 'show', 'local', 'ada', '--json']);
      expect(JSON.parse(found.stdout)).toMatchObject({ id: person.id, displayName: 'Ada Lovelace' });
      const [link] = (
        await pool.query(
          `SELECT "identityId"::text FROM identity."IdentityLink" WHERE provider = 'slack' AND "externalId" = 'U02ADA'`,
        )
      ).rows as { identityId: string }[];
      expect(link!.identityId).toBe(person.id);
    } finally {
      await pool.end();
    }

    // Bad arguments: a clear line on stderr and the documented exit code.
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['work', 'create', '--title', 'x'], auth, 2, /required option '--repo/],
      [['work', 'list'], {}, 2, /needs a token/],
      [['work', 'show', '00000000-0000-4000-8000-000000000000'], auth, 3, /no such work item/],
      [['run', 'logs', 'not-a-run'], {}, 2, /is not a run id/],
      [['pr', 'show', 'one', '--repo', 'demo/cart'], {}, 2, /is not a pull request number/],
      [['pr', 'show', '99', '--repo', 'demo/cart'], {}, 3, /forge: /],
      [['demo', '--timeout', 'soon'], {}, 2, /--timeout must be a positive number/],
      [['demo'], {}, 1, /the demo already ran on this installation .* it runs once/],
      [
        [
          'identity',
          'link',
          '--identity',
          '00000000-0000-4000-8000-000000000000',
          '--provider',
          'slack',
          '--external-id',
          'U02ADA',
        ],
        {},
        1,
        /slack account U02ADA is linked to another identity/,
      ],
      [['identity', 'show', 'slack', 'U0NOBODY'], {}, 3, /no person is linked to slack account U0NOBODY/],
      [
        ['identity', 'link', '--name', 'X', '--provider', 'jira', '--external-id', '1'],
        {},
        2,
        /provider must be github, linear, slack, local/,
      ],
      [
        ['identity', 'link', '--provider', 'slack', '--external-id', 'U1'],
        {},
        2,
        /exactly one of --name and --identity/,
      ],
    ];
    for (const [args, extra, code, message] of cases) {
      const result = await cli(args, extra);
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.stderr).toMatch(message);
    }
    return auth;
  }

  /**
   * What a reviewer would check on the forge: three merged PRs, the first reviewed twice by the
   * person in the console, and main holding every change with the revise run's commit.
   */
  async function expectForgeState(reviewer: string): Promise<void> {
    const token = fs.readFileSync(path.join(dataDir, 'forge.token'), 'utf8').trim();
    const forge = new ForgeClient({ baseUrl: `http://127.0.0.1:${env.FORGE_PORT}`, token });
    const pulls = await forge.listPulls('demo', 'cart', 'all');
    expect(pulls.map((p) => [p.number, p.merged, p.author])).toEqual([
      [3, true, 'horizon[bot]'],
      [2, true, 'horizon[bot]'],
      [1, true, 'horizon[bot]'],
    ]);
    const reviews = await forge.reviews('demo', 'cart', 1);
    expect(reviews.filter((r) => r.author === reviewer).map((r) => r.state)).toEqual([
      'changes_requested',
      'approved',
    ]);
    // The agent review station read #1 when it opened (and again after the revision's push,
    // unless the person merged first); on its own PR the bot's verdict is posted as a comment.
    const agentReviews = reviews.filter((r) => r.author === 'horizon[bot]').map((r) => r.state);
    expect(agentReviews.length).toBeGreaterThanOrEqual(1);
    expect(new Set(agentReviews)).toEqual(new Set(['commented']));
    // The person's own clone, outside Horizon's data directory (whose files are scanned for secrets).
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-cart-'));
    try {
      execFileSync('git', [
        'clone',
        '-q',
        `http://x-access-token:${token}@127.0.0.1:${env.FORGE_PORT}/demo/cart.git`,
        clone,
      ]);
      const cart = fs.readFileSync(path.join(clone, 'src/cart.ts'), 'utf8');
      expect(cart).toContain('export function orderTotal(');
      expect(cart).toContain('throw new RangeError(`${item.sku}: quantity ${item.quantity} is negative`)');
      const log = execFileSync('git', ['log', '--format=%s', 'main'], { cwd: clone }).toString();
      expect(log).toContain('Refuse negative quantities in subtotal()');
      expect(log).toContain('Add orderTotal() with tax after discounts');
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  }
});
