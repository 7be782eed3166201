import { consumerFilter, covers, narrowestFilter, overlaps, unclaimedSubjects } from './subjects';

describe('subject arithmetic', () => {
  it.each([
    ['hzn.evt.>', 'hzn.evt.run.finished', true],
    ['hzn.evt.>', 'hzn.evt.run.*', true],
    ['hzn.evt.>', 'hzn.evt.>', true],
    ['hzn.evt.>', 'hzn.evt', false],
    ['hzn.evt.*', 'hzn.evt.run', true],
    ['hzn.evt.*', 'hzn.evt.run.finished', false],
    ['hzn.evt.*', 'hzn.evt.>', false],
    ['hzn.evt.*.*', 'hzn.evt.*.finished', true],
    ['hzn.evt.run.*', 'hzn.evt.*.finished', false],
    ['hzn.evt.run.finished', 'hzn.evt.run.finished', true],
    ['hzn.evt.run.finished', 'hzn.evt.run.started', false],
    ['hzn.evt.run.finished', 'hzn.evt.run', false],
    ['hzn.evt.run', 'hzn.evt.run.finished', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });

  it.each([
    ['hzn.cmd.notify.>', 'hzn.cmd.forge.>', false],
    ['hzn.cmd.>', 'hzn.cmd.forge.open_pull_request', true],
    ['hzn.cmd.*.deliver', 'hzn.cmd.notify.*', true],
    ['hzn.cmd.sandbox.*', 'hzn.cmd.sandbox.provision.now', false],
    ['hzn.cmd.sandbox.>', 'hzn.cmd.sandbox', false],
    ['hzn.cmd.notify.deliver', 'hzn.cmd.notify.deliver', true],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });

  it.each([
    [['hzn.evt.run.finished'], 'hzn.evt.run.finished'],
    [['hzn.evt.run.progress', 'hzn.evt.run.finished'], 'hzn.evt.run.*'],
    [['hzn.evt.workitem.created', 'hzn.evt.run.finished'], 'hzn.evt.*.*'],
    [['hzn.evt.run.finished', 'hzn.evt.sandbox.finished'], 'hzn.evt.*.finished'],
    [['hzn.evt.run', 'hzn.evt.run.finished'], 'hzn.evt.>'],
    [['hzn.evt.run.finished', 'hzn.evt.sandbox.state.changed'], 'hzn.evt.*.>'],
  ])('the narrowest filter over %j is %s, and it covers each', (subjects, expected) => {
    expect(narrowestFilter(subjects)).toBe(expected);
    for (const s of subjects) expect(covers(expected, s)).toBe(true);
  });

  it('derives no filter from no subject', () => {
    expect(() => narrowestFilter([])).toThrow('no subject');
  });
});

describe('consumerFilter', () => {
  const base = { durable: 'd', streamSubjects: 'hzn.evt.>' };
  const handler = (subject: string, name = 'Consumer.handle') => ({ subject, handler: name });

  it('derives the narrowest filter from the handlers when none is declared', () => {
    const filter = consumerFilter({
      ...base,
      handlers: [handler('hzn.evt.run.progress'), handler('hzn.evt.run.finished')],
      ignored: ['hzn.evt.run.started'],
    });
    expect(filter).toBe('hzn.evt.run.*');
  });

  it('keeps a declared wider filter that covers every handler', () => {
    expect(
      consumerFilter({
        ...base,
        filterSubject: 'hzn.evt.run.>',
        handlers: [handler('hzn.evt.run.finished')],
      }),
    ).toBe('hzn.evt.run.>');
  });

  it('refuses a handler outside the declared filter, naming the handler, its subject and the filter', () => {
    expect(() =>
      consumerFilter({
        ...base,
        filterSubject: 'hzn.evt.run.>',
        handlers: [handler('hzn.evt.run.finished'), handler('hzn.evt.sandbox.state_changed', 'Runs.sandbox')],
      }),
    ).toThrow(
      "consumer d: handler Runs.sandbox handles hzn.evt.sandbox.state_changed, which lies outside the consumer's filter hzn.evt.run.>",
    );
  });

  it('refuses a handler whose contract is in another stream', () => {
    expect(() =>
      consumerFilter({ ...base, handlers: [handler('hzn.cmd.notify.deliver', 'N.deliver')] }),
    ).toThrow(
      'consumer d: handler N.deliver handles hzn.cmd.notify.deliver, which is not in its stream (hzn.evt.>)',
    );
  });

  it('refuses a declared filter outside the stream', () => {
    expect(() =>
      consumerFilter({ ...base, filterSubject: 'hzn.>', handlers: [handler('hzn.evt.run.finished')] }),
    ).toThrow('filter hzn.> is not within its stream');
  });

  it('refuses a consumer with no handlers', () => {
    expect(() => consumerFilter({ ...base, handlers: [] })).toThrow('consumer d has no handlers');
  });

  it('refuses an ignored subject the filter never delivers', () => {
    expect(() =>
      consumerFilter({
        ...base,
        handlers: [handler('hzn.evt.run.finished')],
        ignored: ['hzn.evt.run.started'],
      }),
    ).toThrow('consumer d ignores hzn.evt.run.started, which its filter hzn.evt.run.finished never delivers');
  });
});

describe('unclaimedSubjects', () => {
  it('lists the known subjects a filter delivers that nothing claims', () => {
    const known = [
      'hzn.evt.run.started',
      'hzn.evt.run.finished',
      'hzn.evt.run.progress',
      'hzn.evt.sandbox.x',
    ];
    expect(unclaimedSubjects('hzn.evt.run.*', new Set(['hzn.evt.run.finished']), known)).toEqual([
      'hzn.evt.run.started',
      'hzn.evt.run.progress',
    ]);
    expect(
      unclaimedSubjects(
        'hzn.evt.run.*',
        new Set(['hzn.evt.run.finished', 'hzn.evt.run.progress', 'hzn.evt.run.started']),
        known,
      ),
    ).toEqual([]);
  });
});
