import type { DataOf, runFinished } from '@horizon/contracts';
import type { Route } from './compose';
import { browserCheckRunNotice, checkRunNotice, onRunFinishedOnPullRequest } from './compose-github';

const runId = '7d3f3c43-5f4d-4a3e-9d63-0c2a3f8e2b11';
const finished = (over: Partial<DataOf<typeof runFinished>> = {}): DataOf<typeof runFinished> => ({
  runId,
  workItemId: '0b8f5d5e-6a3c-4f0e-8d2b-2c5f4e3a1b00',
  outcome: 'succeeded',
  reason: null,
  usage: null,
  durationMs: 12_000,
  branch: 'horizon/0b8f5d5e-tidy',
  commitSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  verification: [{ command: 'npm test', exitCode: 0, durationMs: 900 }],
  frictionNotes: [],
  summary: 'Renamed w to widget.',
  ...over,
});
const route = (withPr: boolean): Route => ({
  workItemId: '0b8f5d5e-6a3c-4f0e-8d2b-2c5f4e3a1b00',
  title: 'Tidy',
  lastRun: null,
  ownerId: null,
  sourceRefs: withPr
    ? {
        pullRequest: {
          provider: 'github',
          repo: { forge: 'github', owner: 'acme', name: 'widgets' },
          number: 42,
          branch: 'horizon/0b8f5d5e-tidy',
        },
      }
    : {},
});

describe('GitHub notifications', () => {
  it('a run that ends before its PR exists says nothing on GitHub (the PR announcement carries its check)', () => {
    expect(onRunFinishedOnPullRequest(finished(), route(false))).toEqual([]);
  });

  it('a revise run that pushed: a comment naming the commit and a check run on it', () => {
    const [comment, check, ...rest] = onRunFinishedOnPullRequest(finished(), route(true));
    expect(rest).toEqual([]);
    expect(comment).toMatchObject({
      channel: 'github',
      target: { forge: 'github', repo: 'acme/widgets', runId, number: '42' },
      dedupeKey: `github:comment:${runId}`,
      title: 'Horizon revised this pull request',
    });
    expect(comment!.body).toContain('Pushed `a1b2c3d` to `horizon/0b8f5d5e-tidy`.');
    expect(comment!.body).toContain('Renamed w to widget.');
    expect(comment!.body).toContain('Verification: 1/1 passed (`npm test` → 0).');
    expect(check).toMatchObject({
      target: { forge: 'github', repo: 'acme/widgets', runId },
      title: 'Horizon verification',
      checkRun: { headSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
    });
    expect(check!.target.number).toBeUndefined();
  });

  it('a revise run that failed: a comment saying why, no check run', () => {
    const out = onRunFinishedOnPullRequest(
      finished({ outcome: 'failed', reason: 'npm test failed 3 times', commitSha: null }),
      route(true),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.title).toBe('Horizon could not revise');
    expect(out[0]!.body).toBe('The revision ended failed: npm test failed 3 times. Nothing was pushed.');
  });

  it('a repository that verifies nothing gets no check run', () => {
    expect(
      checkRunNotice({ forge: 'local', repo: 'acme/widgets', runId, headSha: 'abc', results: [] }),
    ).toEqual([]);
  });

  describe('the browser check as a check run of its own', () => {
    const push = { forge: 'github' as const, repo: 'acme/widgets', runId, headSha: 'abc' };
    const check = (target: 'base' | 'change', round: number, outcome: 'passed' | 'failed' | 'skipped') => ({
      target,
      round,
      outcome,
      problems: outcome === 'failed' ? ['page "cart" (/): console error: boom'] : [],
      summary: `${outcome} in round ${round}`,
    });

    it("concludes from the last check of the change, its summary and problems as the check's summary", () => {
      const [passed] = browserCheckRunNotice({
        ...push,
        browser: [check('base', 0, 'passed'), check('change', 0, 'failed'), check('change', 1, 'passed')],
      });
      expect(passed).toMatchObject({
        title: 'Horizon browser check',
        dedupeKey: 'github:browser-check:acme/widgets:abc',
        body: 'passed in round 1',
        checkRun: { headSha: 'abc', results: [], conclusion: 'success' },
      });
      const [skipped] = browserCheckRunNotice({ ...push, browser: [check('change', 0, 'skipped')] });
      expect(skipped!.checkRun!.conclusion).toBe('neutral');
      const [failed] = browserCheckRunNotice({ ...push, browser: [check('change', 0, 'failed')] });
      expect(failed).toMatchObject({
        body: 'failed in round 0\n- page "cart" (/): console error: boom',
        checkRun: { conclusion: 'failure' },
      });
    });

    it('none for a run that checked no preview, or only its base', () => {
      expect(browserCheckRunNotice({ ...push, browser: undefined })).toEqual([]);
      expect(browserCheckRunNotice({ ...push, browser: [check('base', 0, 'passed')] })).toEqual([]);
    });

    it('a revise run that pushed reports it beside its verification', () => {
      const out = onRunFinishedOnPullRequest(
        finished({ browser: [check('change', 0, 'passed')] }),
        route(true),
      );
      expect(out.map((n) => n.title)).toEqual([
        'Horizon revised this pull request',
        'Horizon verification',
        'Horizon browser check',
      ]);
    });
  });
});
