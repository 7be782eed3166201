import { linearAgentSession, linearComment, linearIssueChanged } from '@horizon/contracts';
import { linearDelivery, linearFixture, linearFixtureNames, signLinear } from '@horizon/testing';
import { linearWebhookVerifier, normalizeLinearWebhook } from './index';

const SECRET = 'lin_wh_test_secret';
const verifier = linearWebhookVerifier(SECRET);
const receivedAt = new Date('2025-07-14T10:00:00.000Z');

async function deliver(payload: { type: string }, deliveryId = 'ld-1') {
  const { rawBody, headers } = linearDelivery(payload, SECRET, deliveryId);
  const verification = await verifier.verify(rawBody, headers);
  return {
    verification,
    result: normalizeLinearWebhook(headers, JSON.parse(rawBody.toString('utf8')), receivedAt),
  };
}

function accepted(result: ReturnType<typeof normalizeLinearWebhook>) {
  if (result.kind !== 'accepted') throw new Error(`expected accepted, got ${result.kind}: ${result.reason}`);
  expect(result.contract.data.parse(result.data)).toEqual(result.data);
  return result;
}

describe('Linear webhooks over the documented samples', () => {
  it.each(linearFixtureNames)('%s verifies and normalizes into its contract', async (name) => {
    const { verification, result } = await deliver(linearFixture(name), `ld-${name}`);
    expect(verification).toEqual({ ok: true });
    expect(accepted(result).deliveryId).toBe(`ld-${name}`);
  });

  it('turns a created agent session into a session with its issue and Linear prompt context', async () => {
    const fixture = linearFixture('agent-session-created');
    expect(fixture.type).toBe('AgentSessionEvent');
    const { data, contract } = accepted((await deliver(fixture)).result);
    expect(contract).toBe(linearAgentSession);
    expect(data).toMatchObject({
      delivery: {
        source: 'linear',
        event: 'AgentSessionEvent',
        action: 'created',
        receivedAt: receivedAt.toISOString(),
      },
      action: 'created',
      agentSessionId: fixture.agentSession.id,
      issue: {
        id: fixture.agentSession.issue.id,
        identifier: 'ENG-42',
        teamId: fixture.agentSession.issue.teamId,
      },
      prompt: fixture.promptContext,
      creatorId: fixture.agentSession.creatorId,
    });
  });

  it('carries the human message of a prompted session', async () => {
    const { data } = accepted((await deliver(linearFixture('agent-session-prompted'))).result);
    expect(data).toMatchObject({
      action: 'prompted',
      prompt: 'Use Redis for the buckets, we already run it.',
    });
  });

  it('derives state, assignee and delegate changes from updatedFrom', async () => {
    const state = linearFixture('issue-update-state');
    const stateResult = accepted((await deliver(state)).result);
    expect(stateResult.contract).toBe(linearIssueChanged);
    expect(stateResult.data).toMatchObject({
      action: 'update',
      issue: {
        stateId: state.data.stateId,
        stateName: 'In Progress',
        stateType: 'started',
        labels: ['Feature'],
      },
      changes: { state: { fromId: state.updatedFrom.stateId, toId: state.data.stateId } },
    });
    expect(stateResult.data).toHaveProperty('changes', { state: expect.any(Object) });

    const delegated = linearFixture('issue-update-assignee-delegate');
    const { data } = accepted((await deliver(delegated)).result);
    expect(data).toHaveProperty('changes', {
      assignee: { fromId: null, toId: delegated.data.assigneeId },
      delegate: { fromId: null, toId: delegated.data.delegateId },
    });
  });

  it('reports no changes on create, and normalizes a comment', async () => {
    expect(accepted((await deliver(linearFixture('issue-create'))).result).data).toMatchObject({
      action: 'create',
      changes: {},
    });
    const comment = linearFixture('comment-create');
    const result = accepted((await deliver(comment)).result);
    expect(result.contract).toBe(linearComment);
    expect(result.data).toMatchObject({
      comment: { id: comment.data.id, issueId: comment.data.issueId, userId: comment.data.userId },
    });
  });

  it('ignores what it does not handle, with the reason', async () => {
    const removed = { ...linearFixture('issue-create'), action: 'remove' };
    expect((await deliver(removed)).result).toEqual({
      kind: 'ignored',
      event: 'Issue',
      reason: 'Issue remove is not handled',
    });
    const project = { ...linearFixture('issue-create'), type: 'Project' };
    expect((await deliver(project)).result).toEqual({
      kind: 'ignored',
      event: 'Project',
      reason: 'Project create is not handled',
    });
  });
});

describe('Linear signature and timestamp refusals', () => {
  it('refuses a tampered body and a wrong secret as a bad signature', async () => {
    const { rawBody, headers } = linearDelivery(linearFixture('comment-create'), SECRET, 'ld-2');
    const tampered = Buffer.from(rawBody.toString('utf8').replace('billing service', 'config file'));
    expect(tampered.equals(rawBody)).toBe(false);
    expect(await verifier.verify(tampered, headers)).toEqual({
      ok: false,
      reason: 'Linear-Signature does not match the body',
    });
    const wrong = linearDelivery(linearFixture('comment-create'), 'not-the-secret', 'ld-3');
    expect(await verifier.verify(wrong.rawBody, wrong.headers)).toEqual({
      ok: false,
      reason: 'Linear-Signature does not match the body',
    });
  });

  it('refuses a missing signature header', async () => {
    const { rawBody, headers } = linearDelivery(linearFixture('comment-create'), SECRET, 'ld-4');
    const { ['linear-signature']: _signature, ...unsigned } = headers;
    expect(await verifier.verify(rawBody, unsigned)).toEqual({
      ok: false,
      reason: 'missing Linear-Signature header',
    });
  });

  it('refuses a correctly signed delivery whose webhookTimestamp is more than 60 s away', async () => {
    const stale = linearDelivery(linearFixture('issue-create', Date.now() - 61_000), SECRET, 'ld-5');
    expect(await verifier.verify(stale.rawBody, stale.headers)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^stale delivery: webhookTimestamp is 6[12] s old \(limit 60 s\)$/),
    });
    const future = linearDelivery(linearFixture('issue-create', Date.now() + 120_000), SECRET, 'ld-6');
    expect(await verifier.verify(future.rawBody, future.headers)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/in the future/),
    });
    const fresh = linearDelivery(linearFixture('issue-create', Date.now() - 30_000), SECRET, 'ld-7');
    expect(await verifier.verify(fresh.rawBody, fresh.headers)).toEqual({ ok: true });
  });

  it('refuses a signed body without a timestamp', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'Issue', action: 'create' }));
    expect(await verifier.verify(body, { 'linear-signature': signLinear(body, SECRET) })).toEqual({
      ok: false,
      reason: 'signed body has no webhookTimestamp',
    });
  });
});
