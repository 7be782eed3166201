type StreamPrefixOf = (
  stack: { installation?: string; streamPrefix?: string },
  id: string,
  env: Record<string, string | undefined>,
) => string;

/** Which JetStream streams a data directory's services use (tools/lib/installation.mjs). */
describe('installation stream prefix', () => {
  // An ES module (tools/ runs before node_modules exists, as plain Node): imported dynamically.
  let prefixOf: StreamPrefixOf;
  beforeAll(async () => {
    // @ts-expect-error: plain JavaScript without declarations; its one export is typed above.
    ({ installationStreamPrefix: prefixOf } = (await import('./lib/installation.mjs')) as {
      installationStreamPrefix: StreamPrefixOf;
    });
  });

  it('names a new data directory’s streams for its installation', () => {
    expect(prefixOf({}, 'ab12cd34', {})).toBe('horizon_ab12cd34');
  });

  it('keeps what stack.json recorded, and the environment wins over both', () => {
    expect(prefixOf({ installation: 'ab12cd34', streamPrefix: 'horizon_ab12cd34' }, 'ab12cd34', {})).toBe(
      'horizon_ab12cd34',
    );
    expect(prefixOf({ streamPrefix: 'horizon_ab12cd34' }, 'ab12cd34', { HZN_STREAM_PREFIX: 'PROD' })).toBe(
      'PROD',
    );
    expect(prefixOf({}, 'ab12cd34', { HZN_STREAM_PREFIX: '' })).toBe('');
  });

  it('leaves an installation made before prefixes on the unprefixed streams that hold its events', () => {
    expect(prefixOf({ installation: 'ab12cd34' }, 'ab12cd34', {})).toBe('');
  });
});
