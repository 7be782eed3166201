/**
 * Loose reading of a harness's JSON output: each field is checked for its type, never trusted,
 * so a harness version that adds, drops or retypes a field yields empty values, not a crash.
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const num = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
