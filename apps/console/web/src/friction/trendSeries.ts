import type { RepoTrendRow } from '@horizon/contracts';

/** One week of one measure; null where the week has no figure (no runs, nothing merged). */
export interface TrendPoint {
  period: string;
  value: number | null;
}

type Known = TrendPoint & { value: number };

const DAY_MS = 86_400_000;

/**
 * Every week from a repository's first row to its last, `YYYY-MM-DD` Mondays. A week with
 * neither a finished run nor a merge has no row at all; it is listed here so that it shows as
 * a gap in the charts instead of its neighbours being drawn as if adjacent.
 */
export function weeksOf(rows: readonly RepoTrendRow[]): string[] {
  if (rows.length === 0) return [];
  const first = Date.parse(`${rows[0]!.period}T00:00:00Z`);
  const last = Date.parse(`${rows[rows.length - 1]!.period}T00:00:00Z`);
  const weeks: string[] = [];
  for (let t = first; t <= last; t += 7 * DAY_MS) weeks.push(new Date(t).toISOString().slice(0, 10));
  return weeks;
}

/** One measure over those weeks. */
export function seriesOf(
  rows: readonly RepoTrendRow[],
  pick: (row: RepoTrendRow) => number | null,
): TrendPoint[] {
  const byPeriod = new Map(rows.map((r) => [r.period, pick(r)]));
  return weeksOf(rows).map((period) => ({ period, value: byPeriod.get(period) ?? null }));
}

/** The series at a glance: its latest figure, the figure before that, its range, its gaps. */
export interface TrendSummary {
  latest: Known | null;
  previous: Known | null;
  min: number;
  max: number;
  /** Weeks without a figure. */
  gaps: string[];
}

export function summarise(points: readonly TrendPoint[]): TrendSummary {
  const known = points.filter((p): p is Known => p.value !== null);
  const values = known.map((p) => p.value);
  return {
    latest: known[known.length - 1] ?? null,
    previous: known[known.length - 2] ?? null,
    min: values.length ? Math.min(...values) : 0,
    max: values.length ? Math.max(...values) : 0,
    gaps: points.filter((p) => p.value === null).map((p) => p.period),
  };
}

/** Falling is the platform learning: every measure charted is one where less is better. */
export type Direction = 'down' | 'up' | 'same' | 'none';

/** Up or down as people read the figures: two that print alike (5K and 5K) are the same. */
export function directionOf({ latest, previous }: TrendSummary, format: (n: number) => string): Direction {
  if (!latest || !previous) return 'none';
  if (format(latest.value) === format(previous.value)) return 'same';
  return latest.value < previous.value ? 'down' : 'up';
}
