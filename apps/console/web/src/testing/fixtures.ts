import type { BoardItem, LiveEvent, SessionView, WorkItemDetail } from '../../../src/shared/console-api';

export const session: SessionView = {
  person: { id: 'person-1', name: 'Ada Lovelace' },
  grants: [{ repo: '*', role: 'admin' }],
  csrfToken: 'csrf-123',
};

let counter = 0;
/** A deterministic uuid-shaped id, distinct in its first characters like real ones. */
export function uuid(n = ++counter): string {
  return `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

export function boardItem(overrides: Partial<BoardItem> = {}): BoardItem {
  const id = overrides.id ?? uuid();
  return {
    kind: 'implement',
    state: 'queued',
    repo: 'demo/cart',
    title: `Item ${id.slice(0, 8)}`,
    description: '',
    branch: null,
    priority: 0,
    labels: [],
    autoStart: null,
    ownerId: 'github:ada',
    parentId: null,
    sourceRefs: {},
    stateEnteredAt: '2026-12-01T10:00:00.000Z',
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    latestRun: null,
    pullRequest: null,
    ...overrides,
    id,
  };
}

export function detail(overrides: Partial<WorkItemDetail> = {}): WorkItemDetail {
  const { latestRun: _run, pullRequest: _pr, ...view } = boardItem({ id: overrides.id });
  return { ...view, runs: [], blockedBy: [], blocks: [], timeline: [], ...overrides };
}

export function stateChanged(seq: number, workItemId: string, from: string, to: string): LiveEvent {
  return {
    seq,
    subject: 'hzn.evt.workitem.state_changed',
    occurredAt: '2026-12-01T11:00:00.000Z',
    data: { workItemId, from, to, cause: 'test', runId: null, sourceRefs: {} },
  };
}

export function runFinished(seq: number, workItemId: string, runId: string, exitCodes: number[]): LiveEvent {
  return {
    seq,
    subject: 'hzn.evt.run.finished',
    occurredAt: '2026-12-01T11:00:00.000Z',
    data: {
      runId,
      workItemId,
      outcome: 'succeeded',
      verification: exitCodes.map((exitCode) => ({ command: 'npm test', exitCode, durationMs: 1000 })),
    },
  };
}

/** What the Settings page asks for when every section is empty, for `fakeFetch`; tests override their own. */
export const emptySettings = {
  '/api/session': { body: session },
  '/api/admin/people': { body: [] },
  '/api/admin/audit': { body: { entries: [] } },
  '/api/admin/api-tokens': { body: { tokens: [] } },
  '/api/admin/integrations': { body: { checks: [], unreported: [], checkedAt: '2026-12-01T09:00:00.000Z' } },
  '/api/admin/identities': { body: { identities: [] } },
  '/api/admin/auto-grants': { body: [] },
  '/api/admin/repositories': { body: { repositories: [], everywhere: [] } },
};
