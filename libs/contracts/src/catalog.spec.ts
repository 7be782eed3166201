import { allContracts, catalog, contractFor } from './catalog';
import { envelopeFor, workItemStateChanged, envelopeSchema } from './index';

describe('contract catalog', () => {
  it('holds every contract once, keyed by its subject', () => {
    const subjects = allContracts.map((c) => c.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(catalog.size).toBe(allContracts.length);
    for (const c of allContracts) {
      expect(c.subject).toMatch(/^hzn\.(ingress|evt|cmd|rpc)\.[a-z_]+(\.[a-z_]+)+$/);
      expect(c.version).toBeGreaterThanOrEqual(1);
    }
  });

  it('routes commands only to hzn.cmd and facts only to hzn.evt or hzn.ingress', () => {
    for (const c of allContracts) {
      const prefix = c.subject.split('.')[1];
      const expected = { command: ['cmd'], event: ['evt', 'ingress'], rpc: ['rpc'] }[c.kind];
      expect(expected).toContain(prefix);
    }
  });

  it('builds a valid envelope and refuses data that breaks the schema', () => {
    const data = {
      workItemId: '7b0cbbd4-5f3f-4c4e-9f3a-2a8f0a1c2d3e',
      from: 'queued' as const,
      to: 'provisioning' as const,
      cause: 'run started',
      runId: null,
      sourceRefs: {},
    };
    const env = envelopeFor(workItemStateChanged, data, { source: 'orchestrator' });
    expect(envelopeSchema.parse(env)).toEqual(env);
    expect(env.correlationId).toBe(env.id);
    expect(contractFor(env.subject)).toBe(workItemStateChanged);
    expect(() =>
      envelopeFor(workItemStateChanged, { ...data, to: 'flying' as never }, { source: 'orchestrator' }),
    ).toThrow(/to/);
  });

  it('inherits correlation from the envelope that caused it', () => {
    const cause = envelopeFor(
      workItemStateChanged,
      {
        workItemId: '7b0cbbd4-5f3f-4c4e-9f3a-2a8f0a1c2d3e',
        from: 'queued',
        to: 'provisioning',
        cause: 'x',
        runId: null,
        sourceRefs: {},
      },
      { source: 'test', correlationId: 'corr-1' },
    );
    const effect = envelopeFor(
      workItemStateChanged,
      {
        workItemId: '7b0cbbd4-5f3f-4c4e-9f3a-2a8f0a1c2d3e',
        from: 'provisioning',
        to: 'running',
        cause: 'y',
        runId: null,
        sourceRefs: {},
      },
      { source: 'test', causedBy: cause },
    );
    expect(effect.correlationId).toBe('corr-1');
    expect(effect.causationId).toBe(cause.id);
  });
});
