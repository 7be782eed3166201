import { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { apiWorkItemCreate } from '@horizon/contracts';
import { startService } from '@horizon/runtime';
import { githubDelivery, githubExamples, freePort } from '@horizon/testing';
import { IngressModule } from '../../ingress/src/app.module';
import { configShape as ingressConfigShape } from '../../ingress/src/config';
import { OrchestratorStack, until } from './harness';
import { createRequest } from './ingress-fixtures';

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
  let stack: OrchestratorStack;
  let ingress: INestApplication;
  let url: string;

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    const port = await freePort();
    const config = parseConfig(ingressConfigShape, {
      DATABASE_URL: stack.db.url,
      NATS_URL: stack.messaging.natsUrl,
      HZN_STREAM_PREFIX: stack.messaging.prefix,
      LOG_LEVEL: 'silent',
      INGRESS_PORT: String(port),
      GITHUB_WEBHOOK_SECRET: SECRET,
    });
    ingress = await startService({ name: 'ingress', module: IngressModule.register(config), port });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await ingress?.close();
    await stack?.stop();
  });

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
    await stack.publish(apiWorkItemCreate, request);
    const id = request.workItemId;
    await stack.waitForState(id, 'in_review');
    const branch = stack.standIn.provisionsFor(id)[0]!.data.branch;

    await post('pull_request', onBranch(example('pull_request', 'opened'), branch, 42), 'e2e-pr-opened');
    await until(async () => (await stack.item(id))?.sourceRefs.pullRequest?.number === 42, 'the PR linked');

    const review = onBranch(example('pull_request_review', 'submitted'), branch, 42);
    review.review = {
      ...review.review!,
      state: 'changes_requested',
      body: 'Please stream the export instead of buffering it in memory.',
    };
    for (let i = 0; i < 3; i++) await post('pull_request_review', review, 'e2e-review-1');

    const revise = await until(() => stack.standIn.provisionsFor(id)[1], 'the revise provision');
    expect(revise.data.branch).toBe(branch);
    expect(revise.data.prompt).toContain('Please stream the export instead of buffering it in memory.');
    await stack.waitForState(id, 'in_review');
    expect(await stack.transitionsOf(id)).toContain('in_review→revising');
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.standIn.provisionsFor(id)).toHaveLength(2);
  });
});
