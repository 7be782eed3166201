import type { Envelope } from '@horizon/contracts';
import type { AuditRepository } from '../persistence/audit.repository';
import type { DraftChanges, PlanRepository } from '../persistence/plan.repository';
import type { PlanPresence } from '../messaging/plan-presence';
import type { PlanDraftView } from '../shared/console-api';
import { PlanConflictError, PlanService, PlanStartFailed } from './plan.service';
import type { Viewer } from './sign-in.service';

/** The repository's contract in memory: a write lands only on the version it names. */
class MemoryPlans {
  draft!: PlanDraftView;
  async create(row: { id: string; repo: string; title: string; brief: string; by: string }) {
    const at = new Date().toISOString();
    this.draft = {
      ...row,
      status: 'draft',
      version: 1,
      items: [],
      createdBy: row.by,
      updatedBy: row.by,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      planning: null,
    };
    return this.draft;
  }
  async find() {
    return structuredClone(this.draft);
  }
  async write(_id: string, seen: number, by: string, changes: DraftChanges) {
    if (this.draft.version !== seen || this.draft.status !== 'draft') return false;
    const { startedAt, ...rest } = changes;
    this.draft = {
      ...this.draft,
      ...rest,
      version: seen + 1,
      updatedBy: by,
      startedAt: startedAt?.toISOString() ?? null,
    };
    return true;
  }
  async reopen(_id: string, by: string) {
    this.draft = {
      ...this.draft,
      status: 'draft',
      startedAt: null,
      version: this.draft.version + 1,
      updatedBy: by,
    };
  }
}

const ada: Viewer = {
  personId: 'p1',
  name: 'ada',
  grants: [{ repo: 'acme/shop', role: 'member' }],
  csrfToken: 'x',
  sessionHash: 'h',
};

describe('PlanService.start', () => {
  it('reopens the draft when an item cannot be sent, and a retry sends the same ids again', async () => {
    const plans = new MemoryPlans();
    const sent: Envelope[] = [];
    let failNext = false;
    const service = new PlanService(
      plans as unknown as PlanRepository,
      { record: async () => {} } as unknown as AuditRepository,
      { changed: () => {} } as unknown as PlanPresence,
      {
        publish: async (e: Envelope) => {
          if (failNext) throw new Error('NATS down');
          sent.push(e);
          failNext = sent.length === 1;
        },
      },
    );
    let draft = await service.create(ada, { repo: 'acme/shop', title: 'Shop', brief: '' });
    draft = await service.edit(ada, draft.id, {
      version: draft.version,
      kind: 'add_item',
      item: { title: 'A', description: '', acceptanceCriteria: 'Works', blockedBy: [] },
    });
    draft = await service.edit(ada, draft.id, {
      version: draft.version,
      kind: 'add_item',
      item: { title: 'B', description: '', acceptanceCriteria: '', blockedBy: [draft.items[0]!.id] },
    });

    await expect(service.start(ada, draft.id, draft.version)).rejects.toThrow(PlanStartFailed);
    expect(plans.draft).toMatchObject({ status: 'draft', version: draft.version + 2 });
    await expect(service.start(ada, draft.id, draft.version)).rejects.toThrow(PlanConflictError);

    failNext = false;
    const started = await service.start(ada, draft.id, plans.draft.version);
    expect(started.draft.status).toBe('started');
    const [a, b] = draft.items.map((i) => i.id);
    expect(sent.map((e) => e.id)).toEqual([
      `console:plan:${draft.id}:${a}`,
      `console:plan:${draft.id}:${a}`,
      `console:plan:${draft.id}:${b}`,
    ]);
    expect(sent[2]!.data).toMatchObject({
      workItemId: b,
      blockedBy: [a],
      kind: 'implement',
      requestedBy: 'console:ada',
    });
    expect((sent[0]!.data as { description: string }).description).toContain(
      '## Acceptance criteria\n- Works',
    );
  });
});
