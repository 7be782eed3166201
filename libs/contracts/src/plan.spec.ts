import { planProposalExample, planProposalSchema, readPlanProposal } from './plan';

const plan = (issues: unknown[]) => '```json\n' + JSON.stringify({ issues }) + '\n```';

describe('readPlanProposal', () => {
  it('reads the last fenced JSON block, after a draft and prose', () => {
    const text = [
      'Draft:',
      plan([{ key: 'X', title: 'draft' }]),
      'Final plan:',
      plan([
        { key: 'A', title: 'First' },
        { key: 'B', title: 'Second', blockedBy: ['A'], acceptanceCriteria: ['works'] },
      ]),
    ].join('\n');
    const reading = readPlanProposal(text);
    expect(reading).toEqual({
      ok: true,
      plan: {
        issues: [
          { key: 'A', title: 'First', description: '', acceptanceCriteria: [], blockedBy: [] },
          { key: 'B', title: 'Second', description: '', acceptanceCriteria: ['works'], blockedBy: ['A'] },
        ],
      },
    });
  });

  it('reads bare JSON when there is no fence', () => {
    const reading = readPlanProposal(JSON.stringify(planProposalExample));
    expect(reading.ok && reading.plan.issues.map((i) => i.key)).toEqual(['A', 'B']);
  });

  it('falls back to an earlier block when the last one is not a plan', () => {
    const text = plan([{ key: 'A', title: 'Only' }]) + '\n```json\n{"note": true}\n```';
    expect(readPlanProposal(text).ok).toBe(true);
  });

  it.each([
    [null, 'gave no answer'],
    ['I could not plan this.', 'not JSON'],
    [plan([]), 'does not fit'],
    [plan([{ key: 'A', title: 'x', blockedBy: ['Z'] }]), 'no issue has the key Z'],
    [plan([{ key: 'A', title: 'x', blockedBy: ['A'] }]), 'cannot block itself'],
    [
      plan([
        { key: 'A', title: 'x' },
        { key: 'A', title: 'y' },
      ]),
      'duplicate key A',
    ],
    [plan([{ key: 'A', title: 'x', priority: 1 }]), 'does not fit'],
  ])('refuses %j, saying why', (text, reason) => {
    const reading = readPlanProposal(text);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.reason).toContain(reason);
  });

  it('keeps its example valid', () => {
    expect(planProposalSchema.safeParse(planProposalExample).success).toBe(true);
  });
});
