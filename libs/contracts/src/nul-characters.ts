/**
 * NUL (U+0000) is valid in JSON and JavaScript strings but Postgres stores it in neither `text`
 * nor `jsonb`: a value holding one fails every write it reaches, however often it is retried.
 * Input we may refuse (our own API) is refused with the path named; input we must take (a
 * provider's signed webhook, which it would otherwise redeliver for days) has the character
 * replaced before anything stores it.
 */

const NUL = '\u0000';
/** What a NUL becomes in input that cannot be refused: the Unicode replacement character. */
export const NUL_REPLACEMENT = '\uFFFD';

const keyPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The path (`a.b.0`) of the first string or object key holding a NUL, or undefined. */
export function findNulCharacter(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, keyPath(path, String(index)));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return keyPath(path, key.replaceAll(NUL, '\\u0000'));
    const found = findNulCharacter(item, keyPath(path, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `value` with every NUL in its strings and keys replaced by U+FFFD. What holds none is
 * returned as it is (the same reference), so a clean payload costs one walk and no copy.
 */
export function replaceNulCharacters<T>(value: T): T {
  if (typeof value === 'string')
    return (value.includes(NUL) ? value.replaceAll(NUL, NUL_REPLACEMENT) : value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const replaced = replaceNulCharacters(item);
      if (replaced !== item) (copy ??= [...value])[index] = replaced;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    const cleanKey = key.includes(NUL) ? key.replaceAll(NUL, NUL_REPLACEMENT) : key;
    const cleanItem = replaceNulCharacters(item);
    if (cleanKey !== key || cleanItem !== item) changed = true;
    return [cleanKey, cleanItem];
  });
  return (changed ? Object.fromEntries(entries) : value) as T;
}

/** Objects made of fields (parsers make them with odd prototypes), not buffers, dates or maps. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}
