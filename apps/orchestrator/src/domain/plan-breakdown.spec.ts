import { planProposalSchema } from '@horizon/contracts';
import { breakDownPlan, plannedIssueDescription } from './plan-breakdown';

const plan = (issues: object[]) => planProposalSchema.parse({ issues });

describe('breakDownPlan', () => {
  it('orders blockers before the issues they block, keeping the agent order otherwise', () => {
    const result = breakDownPlan(
      plan([
        { key: 'C', title: 'third', blockedBy: ['B'] },
        { key: 'A', title: 'first' },
        { key: 'B', title: 'second', blockedBy: ['A'] },
        { key: 'D', title: 'independent' },
      ]),
    );
    expect(result.ok && result.issues.map((i) => i.key)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('refuses a cycle, naming it', () => {
    const result = breakDownPlan(
      plan([
        { key: 'A', title: 'first', blockedBy: ['B'] },
        { key: 'B', title: 'second', blockedBy: ['A'] },
      ]),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/A \(first\).*B \(second\)|B \(second\).*A \(first\)/);
  });
});

describe('plannedIssueDescription', () => {
  it('appends the acceptance criteria as a list', () => {
    const [issue] = plan([
      { key: 'A', title: 't', description: 'Why.', acceptanceCriteria: ['x', 'y'] },
    ]).issues;
    expect(plannedIssueDescription(issue!)).toBe('Why.\n\nAcceptance criteria:\n- x\n- y');
  });

  it('is empty for an issue with neither', () => {
    const [issue] = plan([{ key: 'A', title: 't' }]).issues;
    expect(plannedIssueDescription(issue!)).toBe('');
  });
});
