import { LinearStandin, startLinearStandin } from './linear-standin';

async function post(standin: LinearStandin, body: unknown, auth = 'lin_api_test') {
  const res = await fetch(standin.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: unknown;
      errors?: { message: string; extensions: { code: string } }[];
    },
  };
}

const CREATE_ACTIVITY = `mutation createAgentActivity($input: AgentActivityCreateInput!) {
  agentActivityCreate(input: $input) { ...AgentActivityPayload }
}
fragment AgentActivityPayload on AgentActivityPayload { __typename agentActivity { id } lastSyncId success }`;

describe('Linear stand-in', () => {
  let standin: LinearStandin;
  beforeAll(async () => {
    standin = await startLinearStandin();
  });
  afterAll(() => standin.close());

  it('accepts an operation exactly as the SDK sends it', async () => {
    const session = standin.state.addAgentSession({});
    const res = await post(standin, {
      query: CREATE_ACTIVITY,
      variables: { input: { agentSessionId: session.id, content: { type: 'thought', body: 'hi' } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      agentActivityCreate: {
        __typename: 'AgentActivityPayload',
        success: true,
        agentActivity: { id: expect.any(String) },
      },
    });
  });

  it('rejects a hand-written query the SDK never sends', async () => {
    const res = await post(standin, { query: '{ viewer { id name secretField } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects an SDK operation with an input field the schema does not define', async () => {
    const session = standin.state.addAgentSession({});
    const res = await post(standin, {
      query: CREATE_ACTIVITY,
      variables: {
        input: { agentSessionId: session.id, content: { type: 'thought', body: 'x' }, mood: 'happy' },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain(
      'Field "mood" is not defined by type "AgentActivityCreateInput"',
    );
  });

  it('rejects a missing non-null variable and a wrong enum value', async () => {
    const missing = await post(standin, { query: CREATE_ACTIVITY, variables: {} });
    expect(missing.body.errors?.[0]?.message).toContain(
      'Expected non-nullable type "AgentActivityCreateInput!"',
    );
    const badEnum = await post(standin, {
      query: CREATE_ACTIVITY,
      variables: { input: { agentSessionId: 'x', content: {}, signal: 'shout' } },
    });
    expect(badEnum.body.errors?.[0]?.message).toContain('does not exist in "AgentActivitySignal" enum');
  });

  it('refuses unauthenticated requests and rate-limits on demand', async () => {
    expect((await post(standin, { query: CREATE_ACTIVITY }, '')).body.errors?.[0]?.extensions.code).toBe(
      'AUTHENTICATION_ERROR',
    );
    standin.rateLimitNext({ resetInMs: 5000 });
    const limited = await post(standin, { query: CREATE_ACTIVITY, variables: { input: {} } });
    expect(limited.status).toBe(400);
    expect(limited.body.errors?.[0]?.extensions.code).toBe('RATELIMITED');
  });
});
