import { allContracts } from '@horizon/contracts';
import { GithubExample, githubDelivery, githubExamples, signGithub } from '@horizon/testing';
import { githubWebhookVerifier, normalizeGithubWebhook, parseGithubWebhookSecrets } from './index';

const SECRET = 'current-secret';
const OLD_SECRET = 'previous-secret';
const receivedAt = new Date('2025-07-14T10:00:00.000Z');
const verifier = githubWebhookVerifier(parseGithubWebhookSecrets(` ${SECRET}, ${OLD_SECRET} `));

/** Every handled event and the actions that must come out accepted. */
const HANDLED: Record<string, string[] | 'all'> = {
  issue_comment: ['created'],
  pull_request_review: ['submitted'],
  pull_request_review_comment: ['created'],
  pull_request: ['opened', 'synchronize', 'closed', 'labeled', 'unlabeled'],
  check_run: ['completed'],
  check_suite: ['completed'],
  workflow_run: ['completed'],
  status: 'all',
  installation: 'all',
  installation_repositories: 'all',
  ping: 'all',
};

function changesRequestedReview(): GithubExample {
  const submitted = githubExamples('pull_request_review').find((p) => p.action === 'submitted')!;
  (submitted.review as { state: string }).state = 'changes_requested';
  return submitted;
}

async function verifyAndNormalize(event: string, payload: unknown, secret = SECRET, deliveryId = 'd-1') {
  const { rawBody, headers } = githubDelivery(event, payload, secret, deliveryId);
  const verification = await verifier.verify(rawBody, headers);
  return {
    verification,
    result: normalizeGithubWebhook(headers, JSON.parse(rawBody.toString('utf8')), receivedAt),
  };
}

describe('GitHub webhooks over every @octokit/webhooks-examples payload', () => {
  for (const [event, actions] of Object.entries(HANDLED)) {
    const examples = githubExamples(event);
    it(`${event}: ${examples.length} examples verify, and handled actions normalize into their contract`, async () => {
      let accepted = 0;
      for (const [i, payload] of examples.entries()) {
        const { verification, result } = await verifyAndNormalize(
          event,
          payload,
          i % 2 ? OLD_SECRET : SECRET,
          `${event}-${i}`,
        );
        expect(verification).toEqual({ ok: true });
        const handled = actions === 'all' || actions.includes(payload.action ?? '');
        if (!handled) {
          expect(result).toEqual({
            kind: 'ignored',
            event,
            reason: `${event} action ${payload.action} is not handled`,
          });
          continue;
        }
        if (result.kind !== 'accepted')
          throw new Error(`${event}.${payload.action} was ${result.kind}: ${result.reason}`);
        accepted += 1;
        expect(allContracts).toContain(result.contract);
        expect(result.contract.data.parse(result.data)).toEqual(result.data);
        expect(result.deliveryId).toBe(`${event}-${i}`);
        expect(result.data).toMatchObject({
          delivery: {
            source: 'github',
            deliveryId: `${event}-${i}`,
            event,
            action: payload.action ?? null,
            receivedAt: receivedAt.toISOString(),
          },
        });
      }
      expect(accepted).toBeGreaterThan(0);
    });
  }

  it('keeps a changes_requested review, which the examples lack', async () => {
    const { result } = await verifyAndNormalize('pull_request_review', changesRequestedReview());
    expect(result).toMatchObject({ kind: 'accepted', data: { review: { state: 'changes_requested' } } });
  });

  it('reads a failing check from each of check_run, check_suite, workflow_run and status', async () => {
    // Only check_run has a failing example: the others are made from a completed one.
    const failing = (event: string, field: string) => {
      const payload = structuredClone(
        githubExamples(event).find((p) => p.action === 'completed' && p[field] !== undefined)!,
      );
      (payload[field] as { conclusion: string }).conclusion = 'failure';
      return payload;
    };
    const checkRun = githubExamples('check_run').find(
      (p) => (p.check_run as { conclusion: string | null }).conclusion === 'failure',
    )!;
    const status = structuredClone(githubExamples('status')[0]!);
    status.state = 'failure';
    const cases = [
      ['check_run', checkRun, { kind: 'check_run', name: 'Octocoders-linter', pullRequestNumbers: [2] }],
      ['check_suite', failing('check_suite', 'check_suite'), { kind: 'check_suite' }],
      [
        'workflow_run',
        failing('workflow_run', 'workflow_run'),
        { kind: 'workflow_run', name: 'Manually triggered workflow' },
      ],
      ['status', status, { kind: 'status', status: 'completed', pullRequestNumbers: [] }],
    ] as const;
    for (const [event, payload, expected] of cases) {
      const { result } = await verifyAndNormalize(event, payload);
      expect(result).toMatchObject({
        kind: 'accepted',
        contract: { subject: 'hzn.ingress.github.check' },
        data: { check: { ...expected, conclusion: 'failure' } },
      });
    }
  });

  it('tells a merged pull request from one closed without merging', async () => {
    // The examples only close pull requests unmerged: the merged one is made from the first of them.
    const closed = githubExamples('pull_request').filter((p) => p.action === 'closed');
    const merged = structuredClone(closed[0]);
    Object.assign(merged.pull_request as object, { merged: true, merged_by: merged.sender });
    for (const [payload, expected] of [
      [closed[0], { merged: false, mergedBy: null }],
      [merged, { merged: true, mergedBy: (merged.sender as { login: string }).login }],
    ] as const) {
      const { result } = await verifyAndNormalize('pull_request', payload);
      expect(result).toMatchObject({ kind: 'accepted', data: { action: 'closed', pullRequest: expected } });
    }
  });

  it('lists the repositories an installation gained and lost', async () => {
    const [added] = githubExamples('installation_repositories').filter((p) => p.action === 'added');
    const { result } = await verifyAndNormalize('installation_repositories', added);
    expect(result).toMatchObject({
      kind: 'accepted',
      data: { repositoriesAdded: ['Codertocat/Space'], repositoriesRemoved: [] },
    });
  });

  it('ignores events it does not handle, with the reason', async () => {
    const [push] = githubExamples('push');
    const { verification, result } = await verifyAndNormalize('push', push);
    expect(verification).toEqual({ ok: true });
    expect(result).toEqual({ kind: 'ignored', event: 'push', reason: 'event push is not handled' });
  });

  it('fails loudly when a handled payload does not fit its contract', () => {
    const [opened] = githubExamples('pull_request').filter((p) => p.action === 'opened');
    (opened.pull_request as { number: unknown }).number = 'seven';
    const headers = { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-bad' };
    expect(() => normalizeGithubWebhook(headers, opened, receivedAt)).toThrow(
      /d-bad does not fit hzn\.ingress\.github\.pull_request[\s\S]*number/,
    );
  });
});

describe('GitHub signature refusals', () => {
  const [ping] = githubExamples('ping');

  it('refuses a tampered body', async () => {
    const { rawBody, headers } = githubDelivery('ping', ping, SECRET, 'd-2');
    const tampered = Buffer.from(rawBody.toString('utf8').replace('Anything added', 'Anything removed'));
    expect(tampered.equals(rawBody)).toBe(false);
    expect(await verifier.verify(tampered, headers)).toEqual({
      ok: false,
      reason: expect.stringMatching(/matches none of the 2/),
    });
  });

  it('refuses a signature made with a secret it does not hold', async () => {
    const { rawBody, headers } = githubDelivery('ping', ping, 'someone-else', 'd-3');
    expect(await verifier.verify(rawBody, headers)).toEqual({
      ok: false,
      reason: expect.stringMatching(/matches none/),
    });
  });

  it('refuses a delivery without a signature header, or with a malformed one', async () => {
    const { rawBody, headers } = githubDelivery('ping', ping, SECRET, 'd-4');
    const { ['x-hub-signature-256']: signature, ...unsigned } = headers;
    expect(await verifier.verify(rawBody, unsigned)).toEqual({
      ok: false,
      reason: 'missing X-Hub-Signature-256 header',
    });
    const sha1 = { ...unsigned, 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') };
    expect(await verifier.verify(rawBody, sha1)).toEqual({
      ok: false,
      reason: 'malformed X-Hub-Signature-256 header',
    });
  });

  it('accepts the old secret during a rotation, and refuses an empty secret list', async () => {
    const body = Buffer.from('{"zen":"rotate"}');
    expect(await verifier.verify(body, { 'x-hub-signature-256': signGithub(body, OLD_SECRET) })).toEqual({
      ok: true,
    });
    expect(() => parseGithubWebhookSecrets(' , ')).toThrow(/GITHUB_WEBHOOK_SECRET/);
  });
});
