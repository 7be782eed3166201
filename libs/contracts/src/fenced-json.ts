import { z } from 'zod';

const fencedJson = /```(?:json)?[ \t]*\n([\s\S]*?)\n[ \t]*```/g;

export type FencedJsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Reads a structured answer from an agent's last words: the last fenced JSON block that fits
 * `schema` (agents often show a draft first), else the whole text as JSON. The reason of a
 * failure names what was wrong with the last candidate tried.
 */
export function readFencedJson<T>(
  text: string | null | undefined,
  schema: z.ZodType<T>,
  names: { what: string; shape: string },
): FencedJsonReading<T> {
  if (!text?.trim()) return { ok: false, reason: `the ${names.what} run gave no answer` };
  const blocks = [...text.matchAll(fencedJson)].map((m) => m[1]!).reverse();
  const candidates = blocks.length > 0 ? blocks : [text];
  let reason = `no JSON block with ${names.shape}`;
  for (const candidate of candidates) {
    let json: unknown;
    try {
      json = JSON.parse(candidate);
    } catch (err) {
      reason = `the ${names.what} is not JSON: ${(err as Error).message}`;
      continue;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    reason = `the ${names.what} does not fit the schema: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`;
  }
  return { ok: false, reason };
}
