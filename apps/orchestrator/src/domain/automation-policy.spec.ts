import { AutomationCandidate, AutomationPolicy } from './automation-policy';

const base: AutomationCandidate = { autoStart: null, repo: 'acme/api', labels: [], createdByPmAgent: false };

describe('AutomationPolicy', () => {
  const policy = new AutomationPolicy({
    repos: { 'acme/api': true, 'acme/legacy': false },
    labels: { 'Needs-Human': false, auto: true },
  });

  it('lets the item itself decide first', () => {
    expect(policy.decide({ ...base, autoStart: false })).toEqual({
      autoStart: false,
      reason: "the item's autoStart is false",
    });
    expect(
      policy.decide({ ...base, repo: 'acme/legacy', labels: ['needs-human'], autoStart: true }).autoStart,
    ).toBe(true);
  });

  it('then its labels, where a refusing label beats an approving one, case-insensitively', () => {
    expect(policy.decide({ ...base, labels: ['auto', 'needs-human'] })).toEqual({
      autoStart: false,
      reason: 'label "needs-human" turns automation off',
    });
    expect(policy.decide({ ...base, repo: 'acme/legacy', labels: ['AUTO'] })).toEqual({
      autoStart: true,
      reason: 'label "AUTO" turns automation on',
    });
  });

  it('then its repo', () => {
    expect(policy.decide({ ...base, labels: ['bug'] })).toEqual({
      autoStart: true,
      reason: 'repo acme/api turns automation on',
    });
    expect(policy.decide({ ...base, repo: 'acme/legacy', createdByPmAgent: true }).autoStart).toBe(false);
  });

  it('then who created it: on for the PM agent, off otherwise', () => {
    expect(policy.decide({ ...base, repo: 'acme/web', createdByPmAgent: true })).toEqual({
      autoStart: true,
      reason: 'default for items created by the PM agent',
    });
    expect(policy.decide({ ...base, repo: 'acme/web' }).autoStart).toBe(false);
  });

  it('takes the defaults from configuration', () => {
    const cautious = new AutomationPolicy({ pmAgentItems: false, otherItems: true });
    expect(cautious.decide({ ...base, createdByPmAgent: true }).autoStart).toBe(false);
    expect(cautious.decide(base).autoStart).toBe(true);
  });
});
