import pg from 'pg';
import { parseConfig } from '@horizon/config';
import { apiWorkItemCreate, envelopeFor, type SourceRefs } from '@horizon/contracts';
import { IngressModule, ingressConfigShape } from '@horizon/ingress';
import { OrchestratorModule, orchestratorConfigShape } from '@horizon/orchestrator';
import { createRequest, githubDelivery, githubExamples, SandboxStandIn, until } from '@horizon/testing';
import { ServicesUnderTest } from './support/services';

const SECRET = 'review-e2e-secret';

/** The parts of a GitHub pull request payload this test rewrites. */
interface PullPayload {
  repository: { full_name: string; name: string; owner: { login: string } };
  pull_request: { number: number; head: { ref: string } };
  review?: { state: string; body: string | null };
}

/**
 * Ingress and the orchestrator together, on one database and stream prefix: real GitHub
 * payloads (from @octokit/webhooks-examples), signed and posted over HTTP, are what moves the
 * work item — the path a real review takes.
 */
describe('a GitHub review delivered through ingress', () => {
  let services: ServicesUnderTest;
  let standIn: SandboxStandIn;
  let pool: pg.Pool;
  let url: string;

  beforeAll(async () => {
    services = await ServicesUnderTest.start('review-e2e');
    standIn = await services.sandboxStandIn();
    await services.boot('orchestrator', (port, env) =>
      OrchestratorModule.register(
        parseConfig(orchestratorConfigShape, {
          ...env,
          ORCHESTRATOR_PORT: port,
          SCHEDULER_INTERVAL_MS: '500',
        }),
      ),
    );
    let ingressPort = '';
    await services.boot('ingress', (port, env) => {
      ingressPort = port;
      return IngressModule.register(
        parseConfig(ingressConfigShape, {
          ...env,
          INGRESS_PORT: port,
          GITHUB_WEBHOOK_SECRET: SECRET,
        }),
      );
    });
    url = `http://127.0.0.1:${ingressPort}`;
    pool = new pg.Pool({ connectionString: services.db.url, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await services?.stop();
  });

  /** The work item as the orchestrator recorded it. */
  async function item(id: string) {
    const { rows } = await pool.query<{ state: string; sourceRefs: SourceRefs }>(
      'SELECT state::text, "sourceRefs" FROM orchestrator."WorkItem" WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  const waitForState = (id: string, state: string) =>
    until(async () => (await item(id))?.state === state, `work item ${id} to be ${state}`);

  async function transitionsOf(id: string): Promise<string[]> {
    const { rows } = await pool.query<{ fromState: string; toState: string }>(
      `SELECT "fromState", "toState" FROM orchestrator."AuditEvent" WHERE "workItemId" = $1 AND action = 'transition' ORDER BY "createdAt", "fromState"`,
      [id],
    );
    return rows.map((r) => `${r.fromState}→${r.toState}`);
  }

  function example(event: string, action: string): PullPayload {
    const found = githubExamples(event).find((e) => e.action === action);
    if (!found) throw new Error(`no ${event}.${action} example`);
    return found as unknown as PullPayload;
  }

  function onBranch(payload: PullPayload, branch: string, number: number): PullPayload {
    payload.repository.full_name = 'acme/billing';
    payload.repository.name = 'billing';
    payload.repository.owner.login = 'acme';
    payload.pull_request.number = number;
    payload.pull_request.head.ref = branch;
    return payload;
  }

  async function post(event: string, payload: unknown, deliveryId: string) {
    const { rawBody, headers } = githubDelivery(event, payload, SECRET, deliveryId);
    const res = await fetch(`${url}/webhooks/github`, { method: 'POST', headers, body: rawBody });
    expect(res.status).toBe(202);
  }

  it('starts a revise run on the same branch carrying the review, once, however often it is delivered', async () => {
    const request = createRequest({ title: 'Add invoice export' });
    await services.publisher.publish(envelopeFor(apiWorkItemCreate, request, { source: 'ingress' }));
    const id = request.workItemId;
    await waitForState(id, 'in_review');
    const branch = standIn.provisionsFor(id)[0]!.data.branch;

    await post('pull_request', onBranch(example('pull_request', 'opened'), branch, 42), 'e2e-pr-opened');
    await until(async () => (await item(id))?.sourceRefs.pullRequest?.number === 42, 'the PR linked');

    const review = onBranch(example('pull_request_review', 'submitted'), branch, 42);
    review.review = {
      ...review.review!,
      state: 'changes_requested',
      body: 'Please stream the export instead of buffering it in memory.',
    };
    for (let i = 0; i < 3; i++) await post('pull_request_review', review, 'e2e-review-1');

    const revise = await until(() => standIn.provisionsFor(id)[1], 'the revise provision');
    expect(revise.data.branch).toBe(branch);
    expect(revise.data.prompt).toContain('Please stream the export instead of buffering it in memory.');
    await waitForState(id, 'in_review');
    expect(await transitionsOf(id)).toContain('in_review→revising');
    await new Promise((r) => setTimeout(r, 500));
    expect(standIn.provisionsFor(id)).toHaveLength(2);
  });
});
