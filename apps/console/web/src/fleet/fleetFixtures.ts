import type { FleetChildView, FleetDetailView, FleetView } from '../../../src/shared/console-api';
import { uuid } from '../testing/fixtures';

export function fleet(overrides: Partial<FleetView> = {}): FleetView {
  return {
    id: uuid(),
    title: 'Bump eslint to 9',
    prompt: 'Bump eslint to 9 and fix what it reports.',
    verify: null,
    selector: { repos: ['acme/a', 'acme/b', 'acme/c'] },
    cap: 2,
    priority: 5,
    state: 'running',
    ownerId: null,
    createdBy: 'console:Ada Lovelace',
    createdAt: '2026-12-05T09:00:00.000Z',
    progress: {
      total: 3,
      counts: {
        pending: 0,
        queued: 0,
        running: 1,
        in_review: 0,
        merged: 1,
        not_applicable: 0,
        failed: 1,
        cancelled: 0,
      },
      inFlight: 1,
      medianChildMs: 60_000,
      etaSeconds: 60,
    },
    ...overrides,
  };
}

export function child(repo: string, overrides: Partial<FleetChildView> = {}): FleetChildView {
  return {
    repo,
    workItemId: uuid(),
    state: 'running',
    reason: null,
    pullRequest: null,
    verification: null,
    durationMs: null,
    attempts: 1,
    inputTokens: 0,
    outputTokens: 0,
    ...overrides,
  };
}

export function detail(overrides: Partial<FleetDetailView> = {}): FleetDetailView {
  const f = overrides.fleet ?? fleet();
  return {
    fleet: f,
    children: [
      child('acme/a', {
        state: 'merged',
        pullRequest: { number: 4, url: 'http://127.0.0.1:8060/acme/a/pulls/4' },
        verification: 'passed',
        durationMs: 61_000,
        inputTokens: 40_000,
        outputTokens: 1_200,
      }),
      child('acme/b'),
      child('acme/c', { state: 'failed', reason: 'npm test failed', durationMs: 30_000 }),
    ],
    hidden: 0,
    mayChange: true,
    ...overrides,
  };
}
