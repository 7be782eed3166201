import { z } from 'zod';

const ago = /^(\d{1,4})([dh])$/;

/** A query's `since`: a span back from now (`30d`, `12h`) or an ISO date. */
export const sinceParam = (fallback: string) =>
  z
    .string()
    .refine(
      (v) => ago.test(v) || !Number.isNaN(Date.parse(v)),
      'a span back from now (30d, 12h) or an ISO date',
    )
    .default(fallback)
    .describe('30d, 12h, or an ISO date');

/** `30d` / `12h` back from `now`, or the date given. */
export function sinceDate(since: string, now = Date.now()): Date {
  const span = ago.exec(since);
  if (!span) return new Date(since);
  return new Date(now - Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000));
}
