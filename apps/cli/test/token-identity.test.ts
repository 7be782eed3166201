import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createTestDatabase,
  createTestMessaging,
  startServiceProcess,
  runCli,
  type ServiceProcess,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';

/**
 * `horizon token` and `horizon identity unlink` as a user runs them (separate processes),
 * against the real ingress and identity-broker over real Postgres and NATS.
 */
describe('horizon token and identity commands against ingress and identity-broker', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let services: ServiceProcess[];
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-token-'));
    const options = { db, messaging, dataDir };
    services = await Promise.all([
      startServiceProcess('ingress', options),
      startServiceProcess('identity-broker', options),
    ]);
    env = { NATS_URL: messaging.natsUrl, HZN_STREAM_PREFIX: messaging.prefix, HORIZON_DATA_DIR: dataDir };
  }, 120_000);
  afterAll(async () => {
    await Promise.all((services ?? []).map((s) => s.stop()));
    await Promise.all([messaging?.cleanup(), db?.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists and revokes work API tokens, as text and --json, with exit codes', async () => {
    const created = await runCli(
      ['token', 'create', '--name', 'laptop', '--scope', 'work:read', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const { id, token } = JSON.parse(created.stdout) as { id: string; token: string };

    const listed = await runCli(['token', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+SCOPES\s+STATE\s+LASTUSED\s+EXPIRES$/m);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}\\s+laptop\\s+work:read\\s+active\\s+never\\s+never$`, 'm'),
    );
    expect(listed.stdout).not.toContain(token);

    const revoked = await runCli(['token', 'revoke', id], env);
    expect({ code: revoked.code, out: revoked.stdout }).toEqual({
      code: 0,
      out: `revoked token ${id} "laptop"\n`,
    });
    const again = await runCli(['token', 'revoke', id, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      revoked: false,
      token: { id, revokedAt: expect.any(String) },
    });
    const json = JSON.parse((await runCli(['token', 'list', '--json'], env)).stdout) as {
      id: string;
      revokedAt: string;
    }[];
    expect(json).toEqual([expect.objectContaining({ id, name: 'laptop', revokedAt: expect.any(String) })]);

    const missing = await runCli(['token', 'revoke', '00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/ingress: .*no .*token/i);
    const bad = await runCli(['token', 'revoke', 'laptop'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('revoke takes the id `token list` prints, not "laptop"');
  }, 120_000);

  it('unlinks an account from a person, keeping their other links', async () => {
    const linked = await runCli(
      ['identity', 'link', '--name', 'Ada', '--provider', 'slack', '--external-id', 'U02ADA', '--json'],
      env,
    );
    const { id } = JSON.parse(linked.stdout) as { id: string };
    await runCli(['identity', 'link', '--identity', id, '--provider', 'local', '--external-id', 'ada'], env);

    const unlinked = await runCli(['identity', 'unlink', id, 'slack', 'U02ADA'], env);
    expect(unlinked.code).toBe(0);
    expect(unlinked.stderr).toBe('unlinked slack account U02ADA\n');
    expect(unlinked.stdout).toBe(`${id}  Ada\n  local   ada\n`);
    expect((await runCli(['identity', 'show', 'slack', 'U02ADA'], env)).code).toBe(3);

    const again = await runCli(['identity', 'unlink', id, 'slack', 'U02ADA'], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`slack account U02ADA is not linked to identity ${id}`);
    expect((await runCli(['identity', 'unlink', id, 'myspace', 'x'], env)).code).toBe(2);
  }, 120_000);
});
