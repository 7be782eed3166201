import { apiWorkItemCreate, ingressCreateApiToken } from '@horizon/contracts';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  runCli,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';
import { IngressUnderTest, startIngress } from './harness';

/**
 * Picking the harness of a work item through the work API and `horizon work create --harness`
 * (a separate process), against real ingress over Postgres and JetStream: the choice travels
 * as the item's `harness:<name>` label, which the orchestrator reads like any other
 * (apps/orchestrator/test/harness-choice.test.ts).
 */
describe('work API: the harness of a work item', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let conn: JetStreamConnection;
  let ingress: IngressUnderTest;
  let token: string;

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    ({ conn } = await connectTestMessaging(messaging, 'work-api-harness-test'));
    ingress = await startIngress({}, undefined, { db, messaging });
    ({ token } = await new RpcClient(conn, 'work-api-harness-test').call(ingressCreateApiToken, {
      name: 'writer',
      scopes: ['work:write'],
      expiresAt: null,
    }));
  });
  afterAll(async () => {
    await ingress?.close();
    await conn?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
  });

  const create = (body: Record<string, unknown>) =>
    fetch(`${ingress.url}/api/v1/work-items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

  /** The labels of the work item request ingress published for `id`. */
  const labelsSent = async (id: unknown) => {
    const message = (await ingress.messages()).find(
      (m) =>
        m.envelope.subject === apiWorkItemCreate.subject &&
        (m.envelope.data as { workItemId?: string }).workItemId === id,
    );
    return apiWorkItemCreate.data.parse(message!.envelope.data).labels;
  };

  it('records the harness as the item’s harness label, replacing one among its labels', async () => {
    const plain = await create({ repo: 'acme/api', title: 'Fix the flaky test', harness: 'codex' });
    expect(plain.status).toBe(202);
    expect(await labelsSent(plain.body.id)).toEqual(['harness:codex']);

    const labelled = await create({
      repo: 'acme/api',
      title: 'Fix the other flaky test',
      labels: ['flaky', 'harness:opencode'],
      harness: 'claude-code',
    });
    expect(await labelsSent(labelled.body.id)).toEqual(['harness:claude-code', 'flaky']);

    // Without the field the labels are the caller's, a harness label among them included.
    const unchosen = await create({ repo: 'acme/api', title: 'As labelled', labels: ['harness:opencode'] });
    expect(await labelsSent(unchosen.body.id)).toEqual(['harness:opencode']);
  });

  it('refuses a harness Horizon does not have with 400 naming the ones it has, and enqueues nothing', async () => {
    const before = (await ingress.messages()).length;
    const refused = await create({ repo: 'acme/api', title: 'Fix it', harness: 'aider' });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'invalid work item',
        issues: [{ path: 'harness', message: 'must be one of opencode, codex, claude-code' }],
      },
    });
    expect((await ingress.messages()).length).toBe(before);
  });

  it('is in the OpenAPI document, with the names it takes', async () => {
    const doc = (await (await fetch(`${ingress.url}/api/v1/openapi.json`)).json()) as {
      components: { schemas: { CreateWorkItem: { properties: { harness: { enum: string[] } } } } };
    };
    expect(doc.components.schemas.CreateWorkItem.properties.harness.enum).toEqual([
      'opencode',
      'codex',
      'claude-code',
    ]);
  });

  it('takes --harness from `horizon work create`', async () => {
    const env = { INGRESS_PORT: new URL(ingress.url).port };
    const created = await runCli(
      [
        'work',
        'create',
        '--repo',
        'acme/api',
        '--title',
        'By hand',
        '--harness',
        'codex',
        '--json',
        '--token',
        token,
      ],
      env,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(await labelsSent((JSON.parse(created.stdout) as { id: string }).id)).toEqual(['harness:codex']);
  });
});
