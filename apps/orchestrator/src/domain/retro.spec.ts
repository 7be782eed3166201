import type { FrictionGroup, PlanProposal } from '@horizon/contracts';
import { retroBrief, withoutRejected } from './retro';

const group: FrictionGroup = {
  kind: 'missing_script',
  signature: 'missing_script:lint',
  summary: '`npm run lint`: the script "lint" is not declared',
  repo: 'acme/shop',
  runs: 2,
  occurrences: 3,
  firstSeenAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-02T10:00:00.000Z',
  examples: [
    {
      runId: '7d3c2a8e-0b9f-4f6a-9a57-2d1c3b4a5e6f',
      workItemId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      title: 'Add discounts',
      evidence: [4, 11],
      at: '2026-12-02T10:00:00.000Z',
    },
  ],
};

describe('retroBrief', () => {
  it('lists each papercut with its counts and evidence (lines numbered from 1), and what was rejected', () => {
    const brief = retroBrief({
      repo: 'acme/shop',
      since: new Date('2026-11-28T00:00:00Z'),
      groups: [group],
      rejected: ['missing_tool:jq'],
    });
    expect(brief.title).toBe('Retro: acme/shop since 2026-11-28');
    expect(brief.description).toContain(
      '1. `missing_script:lint` — a package script that is not declared; 2 run(s), 3 time(s): `npm run lint`: the script "lint" is not declared\n' +
        '   Evidence: run 7d3c2a8e-0b9f-4f6a-9a57-2d1c3b4a5e6f ("Add discounts") transcript lines 5, 12',
    );
    expect(brief.description).toContain('propose nothing for them:\n- `missing_tool:jq`');
    expect(brief.description).toContain('Give each issue a "friction" list');
  });
});

describe('withoutRejected', () => {
  const plan: PlanProposal = {
    issues: [
      {
        key: 'A',
        title: 'lint script',
        description: '',
        acceptanceCriteria: [],
        blockedBy: [],
        friction: ['x'],
      },
      {
        key: 'B',
        title: 'both',
        description: '',
        acceptanceCriteria: [],
        blockedBy: ['A'],
        friction: ['x', 'y'],
      },
      { key: 'C', title: 'no friction named', description: '', acceptanceCriteria: [], blockedBy: ['A'] },
    ],
  };

  it('drops proposals that fix only rejected papercuts, and the dependencies on them', () => {
    const { plan: kept, dropped } = withoutRejected(plan, new Set(['x']));
    expect(dropped.map((i) => i.key)).toEqual(['A']);
    expect(kept!.issues.map((i) => [i.key, i.blockedBy])).toEqual([
      ['B', []],
      ['C', []],
    ]);
  });

  it('keeps every proposal when nothing was rejected, and none when all were', () => {
    expect(withoutRejected(plan, new Set()).plan).toEqual(plan);
    const onlyRejected: PlanProposal = { issues: [plan.issues[0]!] };
    expect(withoutRejected(onlyRejected, new Set(['x']))).toEqual({ plan: null, dropped: [plan.issues[0]] });
  });
});
