import { randomUUID } from 'node:crypto';
import type { Route } from '../../domain/compose';
import { handedBack, mergedBlockerOf, startedByItself, startedNotice } from './started-notice';

const route: Route = {
  workItemId: randomUUID(),
  title: 'Expose the API',
  sourceRefs: {},
  lastRun: null,
  ownerId: 'o',
};

describe('started notice', () => {
  it('is for blocked → queued only: a start nobody made', () => {
    expect(startedByItself({ from: 'blocked', to: 'queued' })).toBe(true);
    expect(startedByItself({ from: 'planned', to: 'queued' })).toBe(false);
    expect(startedByItself({ from: 'blocked', to: 'planned' })).toBe(false);
  });

  it('names the merged blocker from the orchestrator’s cause, and says the cause when it cannot', () => {
    const blocker = randomUUID();
    expect(mergedBlockerOf(`blocker ${blocker} merged; auto-start`)).toBe(blocker);
    expect(
      mergedBlockerOf('blocker Add cart subtotal merged; default for items created by the PM agent'),
    ).toBe('Add cart subtotal');
    expect(mergedBlockerOf('started through the API')).toBeUndefined();
    const data = {
      workItemId: route.workItemId,
      from: 'blocked' as const,
      to: 'queued' as const,
      runId: null,
      sourceRefs: {},
    };
    const unnamed = startedNotice('env-1', { ...data, cause: 'all blockers done' }, route, 'U1', undefined);
    expect(unnamed).toMatchObject({
      channel: 'slack',
      target: { channel: 'U1' },
      dedupeKey: 'slack:owner:env-1',
      body: ':arrow_forward: *Expose the API* started by itself: its last blocker merged (all blockers done).',
    });
  });
});

describe('handed-back notice', () => {
  const pullRequest = {
    provider: 'github' as const,
    repo: { forge: 'github' as const, owner: 'acme', name: 'app' },
    number: 9,
    branch: 'horizon/x',
  };

  it('is for a run on a pull request that ended without pushing', () => {
    const onPr = { ...route, sourceRefs: { pullRequest } };
    expect(handedBack({ outcome: 'failed' }, onPr)).toBe(true);
    expect(handedBack({ outcome: 'timed_out' }, onPr)).toBe(true);
    expect(handedBack({ outcome: 'succeeded' }, onPr)).toBe(false);
    expect(handedBack({ outcome: 'failed' }, route)).toBe(false); // no PR yet: the retry policy decides
  });
});
