import { evaluateReadiness } from './health';

describe('evaluateReadiness', () => {
  it('is ready only when every check passes, naming the one that failed', async () => {
    const report = await evaluateReadiness([
      { name: 'postgres', check: async () => undefined },
      { name: 'jetstream', check: async () => Promise.reject(new Error('connection refused')) },
    ]);
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      postgres: { ok: true },
      jetstream: { ok: false, error: 'connection refused' },
    });
  });

  it('bounds a check that never answers', async () => {
    const report = await evaluateReadiness(
      [{ name: 'stuck', check: () => new Promise(() => undefined) }],
      50,
    );
    expect(report).toEqual({
      ready: false,
      checks: { stuck: { ok: false, error: 'no answer within 50 ms' } },
    });
  });
});
