import fc from 'fast-check';
import { NUL_REPLACEMENT, findNulCharacter, replaceNulCharacters } from './nul-characters';

/** JSON whose strings and keys may hold NUL (fast-check's default strings are printable). */
const withNul = fc.jsonValue({
  maxDepth: 3,
  stringUnit: fc.constantFrom('a', 'é', '\u0000', ' ', '"', '\\'),
});

describe('NUL characters', () => {
  it('names the path of the first string or key holding one', () => {
    expect(findNulCharacter({ title: 'ok', labels: ['a', 'b\u0000c'] })).toBe('labels.1');
    expect(findNulCharacter({ meta: { 'k\u0000': 1 } })).toBe('meta.k\\u0000');
    expect(findNulCharacter('\u0000')).toBe('');
    expect(findNulCharacter({ title: 'fine', n: 3, list: [null, true] })).toBeUndefined();
  });

  it('replaces them in strings and keys, at any depth, and leaves the rest alone', () => {
    const payload = { a: ['x\u0000y', { 'k\u0000': 'v' }], b: 1, c: 'clean' };
    const clean = replaceNulCharacters(payload);
    expect(clean).toEqual({
      a: [`x${NUL_REPLACEMENT}y`, { [`k${NUL_REPLACEMENT}`]: 'v' }],
      b: 1,
      c: 'clean',
    });
    expect(payload.a[0]).toBe('x\u0000y');
  });

  it('holds for any JSON: nothing is left to find, and clean input comes back as the same object', () => {
    fc.assert(
      fc.property(withNul, (value) => {
        const clean = replaceNulCharacters(value);
        expect(findNulCharacter(clean)).toBeUndefined();
        if (findNulCharacter(value) === undefined) expect(clean).toBe(value);
        // Oracle: the JSON text with its \u0000 escapes swapped (no unit is a `u`, so no
        // escaped backslash can precede one). Compared as JSON too: the text cannot say -0,
        // which toEqual tells from 0.
        else expect(JSON.stringify(clean)).toBe(JSON.stringify(value).replaceAll('\\u0000', NUL_REPLACEMENT));
      }),
      { numRuns: 500 },
    );
  });

  it('finds one wherever fast-check puts it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.string(), (value, s) => {
        const planted = { value, nested: [{ text: `${s}\u0000` }] };
        const found = findNulCharacter(planted);
        expect(found).toBeDefined();
        // The path leads to a string holding NUL (or names a key holding one).
        if (!found!.includes('\\u0000')) {
          const leaf = found!
            .split('.')
            .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], planted);
          expect(leaf).toEqual(expect.stringContaining('\u0000'));
        }
      }),
      { numRuns: 300 },
    );
  });
});
