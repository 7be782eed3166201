import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { envelopeFor, runFinished } from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { DATABASE, type Database } from '@horizon/db';
import { Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import {
  startSlackStandin,
  SlackStandin,
  createTestDatabase,
  createTestMessaging,
  TestDatabase,
  TestMessaging,
  freePort,
} from '@horizon/testing';
import { McpContextModule } from '../src/app.module';
import { configShape } from '../src/config';
import { MCP_SCOPES, McpScope, RunTokenIssuer } from '@horizon/run-tokens';
import { startGitHubPullsStandin, GitHubPullsStandin } from './support/github-pulls-standin';
import { startPeers } from './support/peers';
import { seedFiles, seedHorizon } from './support/seed';

const SECRET = 'test-secret-for-mcp-context-run-tokens-0123456789';
const PAGE_MAX_BYTES = 4096;
const REPO = 'acme/shop';
const bigPatch = Array.from({ length: 400 }, (_, i) => `+const line${i} = ${i}; // retry capture`).join('\n');

describe('mcp-context over streamable HTTP (official MCP client, real Postgres and NATS)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let slack: SlackStandin;
  let github: GitHubPullsStandin;
  let app: INestApplication;
  let peers: Awaited<ReturnType<typeof startPeers>>;
  let base: string;
  let root: string;
  let seeded: Awaited<ReturnType<typeof seedHorizon>>;
  let workspace: string;
  let issuer: RunTokenIssuer;
  let channel: string;
  let threadTs: string;
  const runId = randomUUID();
  const clients: Client[] = [];

  const mint = (
    scopes: readonly McpScope[] = MCP_SCOPES,
    run = runId,
    expiresAt = new Date(Date.now() + 3_600_000),
  ) => issuer.mint({ runId: run, scopes, expiresAt, repo: REPO, workspace }).token;

  async function connect(token: string | undefined, run: string | undefined = runId): Promise<Client> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (run) headers['x-horizon-run'] = run;
    const client = new Client({ name: 'mcp-context-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } }),
    );
    clients.push(client);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(JSON.stringify(result.content));
    return result.structuredContent as {
      items: Record<string, unknown>[];
      nextCursor: string | null;
    } & Record<string, unknown>;
  }

  /** Follows nextCursor to the end, returning every page. */
  async function allPages(client: Client, name: string, args: Record<string, unknown>) {
    const pages = [await call(client, name, args)];
    while (pages.at(-1)!.nextCursor)
      pages.push(await call(client, name, { ...args, cursor: pages.at(-1)!.nextCursor }));
    return pages;
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mcp-context-'));
    let port: number;
    [db, messaging, slack, port] = await Promise.all([
      createTestDatabase(),
      createTestMessaging(),
      startSlackStandin(),
      freePort(),
    ]);
    github = await startGitHubPullsStandin(REPO, [
      {
        number: 7,
        title: 'Retry payment captures',
        body: 'Adds back-off to capture retries.',
        author: 'ada',
        head: 'horizon/retry-captures',
        base: 'main',
        headSha: 'a'.repeat(40),
        files: [
          {
            filename: 'src/payments/capture.ts',
            status: 'modified',
            additions: 400,
            deletions: 0,
            patch: bigPatch,
          },
          {
            filename: 'src/payments/retry.ts',
            status: 'added',
            additions: 1,
            deletions: 0,
            patch: '+export const MAX_RETRIES = 3;',
          },
        ],
        reviewComments: [
          {
            id: 11,
            user: 'grace',
            body: 'Should this be configurable?',
            path: 'src/payments/retry.ts',
            line: 1,
            reviewId: 5,
          },
        ],
        checkRuns: [
          {
            id: 21,
            name: 'horizon/verify',
            status: 'completed',
            conclusion: 'failure',
            title: '1 of 2 verification commands failed',
            summary: 'npm test failed',
          },
        ],
        statuses: [{ context: 'ci/lint', state: 'success', description: 'Lint passed' }],
      },
    ]);
    seeded = await seedHorizon(db.url);
    ({ workspace } = seedFiles(root));
    channel = slack.addChannel();
    threadTs = slack.addUserMessage(channel, '@horizon why do captures fail at night?');
    slack.addUserMessage(channel, 'The provider has a maintenance window at 02:00 UTC.', threadTs);

    const config = parseConfig(configShape, {
      // Its own role: a read of another service's tables would be refused (42501).
      DATABASE_URL: db.urlFor('mcp-context'),
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: 'silent',
      HORIZON_DATA_DIR: join(root, 'data'),
      MCP_CONTEXT_PORT: String(port),
      MCP_TOKEN_SECRET: SECRET,
      MCP_PAGE_MAX_BYTES: String(PAGE_MAX_BYTES),
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: `${slack.url}`,
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
    });
    peers = await startPeers(db, messaging, join(root, 'data'));
    app = await startService({ name: 'mcp-context', module: McpContextModule.register(config), port });
    base = `http://127.0.0.1:${port}`;
    issuer = app.get(RunTokenIssuer);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await app?.close();
    await peers?.close();
    await Promise.all([db?.drop(), messaging?.cleanup(), slack?.close(), github?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('lists every tool, each with input and output schemas', async () => {
    const client = await connect(mint());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'chat_get_thread',
        'errors_search',
        'forge_get_ci_results',
        'forge_get_diff',
        'forge_get_pull_request',
        'forge_list_review_comments',
        'logs_search',
        'repo_conventions',
        'runs_friction',
        'runs_search',
        'tracker_get_issue',
        'tracker_get_project',
        'tracker_list_comments',
        'tracker_related_issues',
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.properties).toHaveProperty('nextCursor');
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
  });

  it("answers the tracker tools from the local tracker (the orchestrator's work items, over RPC)", async () => {
    const client = await connect(mint());
    const pages = await allPages(client, 'tracker_get_issue', { id: seeded.issue });
    expect(pages.length).toBeGreaterThan(1); // the description is over the page cap
    const issue = pages[0]!.items[0]!;
    expect(issue).toMatchObject({
      id: seeded.issue,
      title: 'Retry payment captures',
      state: 'queued',
      assignee: 'Ada Lovelace',
      labels: ['payments'],
      projectId: seeded.project,
    });
    expect(pages.map((p) => p.items[0]!.description).join('')).toBe(seeded.description);

    const related = await call(client, 'tracker_related_issues', { issueId: seeded.issue });
    expect(related.items.map((r) => [r.type, (r.issue as { id: string }).id]).sort()).toEqual(
      [
        ['blocked_by', seeded.blocker],
        ['parent', seeded.project],
      ].sort(),
    );
    const project = await call(client, 'tracker_get_project', { id: seeded.project });
    expect(project.project).toMatchObject({ id: seeded.project, name: 'Checkout reliability' });
    expect(project.items[0]!.content).toBe('Make checkout survive provider outages.');
    expect(await call(client, 'tracker_list_comments', { issueId: seeded.issue })).toMatchObject({
      source: 'local',
      items: [],
      nextCursor: null,
    });

    const missing = await client.callTool({ name: 'tracker_get_issue', arguments: { id: randomUUID() } });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('no work item');
  });

  it('reads a Slack thread through conversations.replies', async () => {
    const client = await connect(mint());
    const thread = await call(client, 'chat_get_thread', { channel, threadTs });
    expect(thread.source).toBe('slack');
    expect(thread.items.map((m) => m.text)).toEqual([
      '@horizon why do captures fail at night?',
      'The provider has a maintenance window at 02:00 UTC.',
    ]);
  });

  it('reads a pull request, its diff, review comments and CI results from GitHub', async () => {
    const client = await connect(mint());
    const pr = await call(client, 'forge_get_pull_request', { number: 7 });
    expect(pr.items[0]).toMatchObject({
      repo: REPO,
      number: 7,
      headSha: 'a'.repeat(40),
      state: 'open',
      changedFiles: 2,
      author: 'ada',
    });

    const diffPages = await allPages(client, 'forge_get_diff', { number: 7 });
    expect(diffPages.length).toBeGreaterThan(2);
    for (const page of diffPages)
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThanOrEqual(PAGE_MAX_BYTES);
    const patches = new Map<string, string>();
    for (const file of diffPages.flatMap((p) => p.items))
      patches.set(file.path as string, (patches.get(file.path as string) ?? '') + (file.patch as string));
    expect(patches.get('src/payments/capture.ts')).toBe(bigPatch);
    expect(patches.get('src/payments/retry.ts')).toBe('+export const MAX_RETRIES = 3;');
    expect(diffPages[0]!.items[0]!.textRange).toMatchObject({ start: 0, total: bigPatch.length });

    const comments = await call(client, 'forge_list_review_comments', { number: 7 });
    expect(comments.items).toEqual([
      expect.objectContaining({
        id: '11',
        author: 'grace',
        path: 'src/payments/retry.ts',
        line: 1,
        reviewId: '5',
      }),
    ]);
    const ci = await call(client, 'forge_get_ci_results', { number: 7 });
    expect(ci.items.map((c) => [c.kind, c.name, c.conclusion])).toEqual([
      ['check_run', 'horizon/verify', 'failure'],
      ['status', 'ci/lint', 'success'],
    ]);

    const elsewhere = await client.callTool({
      name: 'forge_get_pull_request',
      arguments: { repo: 'acme/other', number: 7 },
    });
    expect(elsewhere.isError).toBe(true);
    expect(JSON.stringify(elsewhere.content)).toContain('may read only acme/shop');
  });

  it("searches Horizon's own logs and groups its errors", async () => {
    const client = await connect(mint());
    const failures = await call(client, 'logs_search', { query: 'boot failed', runId: 'r-1' });
    expect(failures.items).toEqual([
      expect.objectContaining({
        level: 'error',
        service: 'orchestrator',
        runId: 'r-1',
        message: 'sandbox boot failed',
      }),
    ]);

    const ticks = await allPages(client, 'logs_search', { query: 'scheduler tick', limit: 25 });
    expect(ticks.map((p) => p.items.length)).toEqual([25, 25, 10]);
    expect(ticks[0]!.items[0]!.message).toBe('scheduler tick 59'); // newest first

    const errors = await call(client, 'errors_search', { query: 'bwrap' });
    expect(errors.items).toEqual([
      expect.objectContaining({ title: 'sandbox boot failed', count: 2, service: 'orchestrator' }),
    ]);
    expect(errors.items[0]!.detail).toContain('Error: bwrap: No permissions'); // the newest occurrence's stack
  });

  it("finds past runs by full-text search over reports and artifact metadata (the orchestrator's, over RPC)", async () => {
    const client = await connect(mint());
    const flaky = await call(client, 'runs_search', { query: 'flaky payments test' });
    expect(flaky.items.map((r) => r.runId)).toEqual([seeded.pastRun]);
    expect(flaky.items[0]).toMatchObject({
      outcome: 'failed',
      title: 'Idempotency keys for captures',
      repo: REPO,
    });
    expect(flaky.items[0]!.excerpt).toContain('«flaky»');
    const lock = await call(client, 'runs_search', { query: '"migration lock"' });
    expect(lock.items.map((r) => r.runId)).toEqual([seeded.otherRun]);
    expect((await call(client, 'runs_search', { query: 'flaky', outcome: 'succeeded' })).items).toEqual([]);
  });

  it("groups past runs' papercuts by signature, on the run's repository unless told another", async () => {
    const client = await connect(mint());
    const friction = await call(client, 'runs_friction', {});
    expect(friction.items.map((g) => [g.signature, g.runs, g.occurrences])).toEqual([
      ['missing_script:lint', 2, 3],
      ['command_retried:npm test', 1, 1],
    ]);
    expect(friction.items[0]).toMatchObject({
      kind: 'missing_script',
      repo: REPO,
      summary: '`npm run lint`: the script "lint" is not declared',
      examples: [
        { runId: seeded.otherRun, evidence: [5, 9], title: 'Idempotency keys for captures' },
        { runId: seeded.pastRun, evidence: [3] },
      ],
    });
    const recurring = await call(client, 'runs_friction', { minRuns: 2 });
    expect(recurring.items.map((g) => g.signature)).toEqual(['missing_script:lint']);
    expect((await call(client, 'runs_friction', { kind: 'missing_tool' })).items).toEqual([]);
    expect((await call(client, 'runs_friction', { repo: 'acme/elsewhere' })).items).toEqual([]);
  });

  it("serves the run's AGENTS.md and .horizon files", async () => {
    const client = await connect(mint());
    const conventions = await call(client, 'repo_conventions');
    expect(conventions.items).toEqual([
      { path: 'AGENTS.md', content: '# Agents\n\nRun `npm test` before committing.\n' },
      { path: '.horizon/config.yaml', content: 'verify:\n  - npm test\n' },
      { path: '.horizon/prompts/implement.md', content: 'Keep changes small.\n' },
    ]);
  });

  it('refuses a cursor from another query', async () => {
    const client = await connect(mint());
    const first = await call(client, 'logs_search', { query: 'scheduler tick', limit: 5 });
    await expect(call(client, 'logs_search', { query: 'boot', cursor: first.nextCursor })).rejects.toThrow(
      /cursor belongs to another tool or other arguments/,
    );
  });

  describe('authorization', () => {
    async function post(
      headers: Record<string, string>,
      body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    ) {
      const res = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        challenge: res.headers.get('www-authenticate'),
        body: (await res.json()) as { error?: { message: string } },
      };
    }

    it('publishes protected-resource metadata', async () => {
      const metadata = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(metadata).toMatchObject({
        resource: `${base}/mcp`,
        scopes_supported: [...MCP_SCOPES],
        bearer_methods_supported: ['header'],
      });
    });

    it('refuses a request without a token: 401, with the resource metadata in WWW-Authenticate', async () => {
      const res = await post({ 'x-horizon-run': runId });
      expect(res.status).toBe(401);
      expect(res.challenge).toBe(
        `Bearer realm="mcp-context", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
      );
      expect(res.body.error?.message).toMatch(/^missing bearer token/);
      await expect(connect(undefined)).rejects.toMatchObject({
        code: 401,
        message: expect.stringContaining('missing bearer token'),
      });
    });

    it('refuses an expired token', async () => {
      const past = new RunTokenIssuer(
        Buffer.from(SECRET),
        { revoke: async () => undefined, isRevoked: async () => false },
        () => new Date(Date.now() - 7_200_000),
      );
      const expired = past.mint({
        runId,
        scopes: MCP_SCOPES,
        expiresAt: new Date(Date.now() - 3_600_000),
      }).token;
      const res = await post({ authorization: `Bearer ${expired}`, 'x-horizon-run': runId });
      expect(res.status).toBe(401);
      expect(res.challenge).toContain('error="invalid_token"');
      expect(res.body.error?.message).toMatch(/^token expired at /);
      await expect(connect(expired)).rejects.toMatchObject({
        code: 401,
        message: expect.stringContaining('token expired at'),
      });
    });

    it('refuses a token signed with another secret', async () => {
      const forged = new RunTokenIssuer(Buffer.from('another-secret-another-secret-another-secret'), {
        revoke: async () => undefined,
        isRevoked: async () => false,
      });
      const res = await post({
        authorization: `Bearer ${forged.mint({ runId, scopes: MCP_SCOPES, expiresAt: new Date(Date.now() + 60_000) }).token}`,
        'x-horizon-run': runId,
      });
      expect(res.status).toBe(401);
      expect(res.body.error?.message).toBe('bad token signature');
    });

    it("refuses another run's token", async () => {
      const otherRun = randomUUID();
      const res = await post({
        authorization: `Bearer ${mint(MCP_SCOPES, otherRun)}`,
        'x-horizon-run': runId,
      });
      expect(res.status).toBe(403);
      expect(res.body.error?.message).toBe(`token belongs to run ${otherRun}, not to run ${runId}`);
      await expect(connect(mint(MCP_SCOPES, otherRun))).rejects.toMatchObject({ code: 403 });
      expect((await post({ authorization: `Bearer ${mint()}` })).body.error?.message).toMatch(
        /^missing X-Horizon-Run header/,
      );
    });

    it('refuses a tool whose scope the token lacks, and lists only the tools it may call', async () => {
      const client = await connect(mint(['tracker:read']));
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
        'tracker_get_issue',
        'tracker_get_project',
        'tracker_list_comments',
        'tracker_related_issues',
      ]);
      await expect(
        client.callTool({ name: 'chat_get_thread', arguments: { channel, threadTs } }),
      ).rejects.toMatchObject({
        code: 403,
        message: expect.stringContaining(
          'tool chat_get_thread needs scope chat:read; this token has: tracker:read',
        ),
      });
      const res = await post(
        { authorization: `Bearer ${mint(['tracker:read'])}`, 'x-horizon-run': runId },
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'runs_search', arguments: { query: 'x' } },
        },
      );
      expect(res.status).toBe(403);
      expect(res.challenge).toContain('error="insufficient_scope"');
      expect(res.challenge).toContain('scope="runs:read"');
    });

    it('refuses every token of a run once its run.finished event arrives, remembering it until the deadline the event carries', async () => {
      const finishing = randomUUID();
      const deadlineAt = new Date(Date.now() + 3_600_000);
      const token = mint(MCP_SCOPES, finishing);
      const client = await connect(token, finishing);
      expect((await call(client, 'repo_conventions')).items).toHaveLength(3);
      await app.get(Publisher).publish(
        envelopeFor(
          runFinished,
          {
            runId: finishing,
            workItemId: seeded.issue,
            outcome: 'succeeded',
            reason: null,
            usage: null,
            durationMs: 1,
            branch: null,
            commitSha: null,
            verification: [],
            frictionNotes: [],
            deadlineAt: deadlineAt.toISOString(),
          },
          { source: 'sandbox-manager' },
        ),
      );
      const end = Date.now() + 10_000;
      let res = await post({ authorization: `Bearer ${token}`, 'x-horizon-run': finishing });
      while (res.status === 200 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        res = await post({ authorization: `Bearer ${token}`, 'x-horizon-run': finishing });
      }
      expect(res.status).toBe(401);
      expect(res.body.error?.message).toBe(`token revoked: run ${finishing} has ended`);
      const kept = await app
        .get<Database>(DATABASE)
        .pool.query<{ expiresAt: Date }>(`SELECT "expiresAt" FROM "McpRevokedRun" WHERE "runId" = $1`, [
          finishing,
        ]);
      expect(kept.rows.map((r) => r.expiresAt.toISOString())).toEqual([deadlineAt.toISOString()]);
    });
  });
});
