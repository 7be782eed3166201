import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Pages and size caps for every tool. A page holds items in order until its JSON would pass
 * `maxBytes`; an item whose long text alone does not fit is cut, and the cursor resumes inside
 * that text, so following `nextCursor` always returns exactly the rest. Cursors are opaque,
 * bound to the tool and the query they came from, and carry no secrets.
 */
export interface PageLimits {
  maxBytes: number;
  maxItems: number;
}

export interface Position {
  index: number;
  /** Characters of the item's text already returned. */
  offset: number;
}

export const textRangeSchema = z
  .object({ start: z.number().int(), end: z.number().int(), total: z.number().int() })
  .describe(
    'Present when the text is cut: characters [start, end) of total; follow nextCursor for the rest.',
  );
export type TextRange = z.infer<typeof textRangeSchema>;

export const nextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `cursor` to the same tool with the same arguments for the next page; null at the end.');

export const cursorInput = z
  .string()
  .optional()
  .describe('A nextCursor from a previous page of this same query.');
export const limitInput = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('Most items on one page (default 50).');

export class CursorError extends Error {}

export function queryKey(tool: string, args: Record<string, unknown>): string {
  const { cursor: _cursor, limit: _limit, ...query } = args;
  return createHash('sha256')
    .update(tool)
    .update(JSON.stringify(query, Object.keys(query).sort()))
    .digest('base64url')
    .slice(0, 12);
}

export function encodeCursor(key: string, position: Position): string {
  return Buffer.from(JSON.stringify({ k: key, i: position.index, o: position.offset })).toString('base64url');
}

export function decodeCursor(key: string, cursor: string | undefined): Position {
  if (!cursor) return { index: 0, offset: 0 };
  let decoded: { k?: unknown; i?: unknown; o?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('cursor is not one this server issued');
  }
  if (decoded.k !== key)
    throw new CursorError('cursor belongs to another tool or other arguments: repeat the same call with it');
  if (
    !Number.isInteger(decoded.i) ||
    !Number.isInteger(decoded.o) ||
    (decoded.i as number) < 0 ||
    (decoded.o as number) < 0
  )
    throw new CursorError('cursor is not one this server issued');
  return { index: decoded.i as number, offset: decoded.o as number };
}

/** The one long text field of an item type that may be cut (a comment's body, a file's content). */
export type TextField<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];

export interface Page<T> {
  items: (T & { textRange?: TextRange })[];
  next: Position | null;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Takes the page that starts at `from`. `frame` is the size of everything around the items
 * (other output fields and the cursor), so the whole result stays under `maxBytes`.
 */
export function takePage<T extends object>(
  items: readonly T[],
  /** null for small items that are never cut (an oversized one is then returned whole). */
  textField: TextField<T> | null,
  from: Position,
  limits: PageLimits & { itemLimit?: number; frameBytes: number },
): Page<T> {
  const cursorAllowance = 120;
  let budget = limits.maxBytes - limits.frameBytes - cursorAllowance;
  const maxItems = Math.min(limits.itemLimit ?? limits.maxItems, limits.maxItems);
  const out: (T & { textRange?: TextRange })[] = [];
  let index = from.index;
  let offset = from.offset;
  while (index < items.length && out.length < maxItems) {
    const item = items[index]!;
    const text = textField ? String(item[textField] ?? '') : '';
    const rest =
      textField && offset > 0
        ? { ...item, [textField]: text.slice(offset), textRange: range(offset, text.length, text.length) }
        : item;
    const size = bytes(rest) + 1;
    if (size <= budget) {
      out.push(rest);
      budget -= size;
      index += 1;
      offset = 0;
      continue;
    }
    if (out.length > 0) break;
    if (!textField) {
      out.push(item);
      index += 1;
      break;
    }
    // The first item alone is too big: cut its text to what fits and resume inside it.
    const end = fitText(item, textField, text, offset, budget);
    out.push({ ...item, [textField]: text.slice(offset, end), textRange: range(offset, end, text.length) });
    if (end >= text.length) {
      index += 1;
      offset = 0;
    } else offset = end;
    break;
  }
  return { items: out, next: index < items.length ? { index, offset } : null };
}

function range(start: number, end: number, total: number): TextRange {
  return { start, end, total };
}

/** The largest end such that the item with text[offset, end) fits the budget (at least one character, to progress). */
function fitText<T extends object>(
  item: T,
  field: TextField<T>,
  text: string,
  offset: number,
  budget: number,
): number {
  let lo = offset + 1;
  let hi = text.length;
  const fits = (end: number) =>
    bytes({ ...item, [field]: text.slice(offset, end), textRange: range(offset, end, text.length) }) + 1 <=
    budget;
  if (!fits(lo)) return lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
