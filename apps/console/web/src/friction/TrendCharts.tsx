import { useId } from 'react';
import type { RepoTrendRow } from '@horizon/contracts';
import { tokens } from '../usage/format';
import { Sparkline } from './Sparkline';
import {
  directionOf,
  seriesOf,
  summarise,
  weeksOf,
  type Direction,
  type TrendPoint,
  type TrendSummary,
} from './trendSeries';

interface Measure {
  title: string;
  pick: (row: RepoTrendRow) => number | null;
  format: (n: number) => string;
}

const decimal = (n: number) => String(Math.round(n * 10) / 10);

/** 45 min, 3.5 h, 2.1 d: a median time to merge as people say it. */
export function duration(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${decimal(minutes / 60)} h`;
  return `${decimal(minutes / (24 * 60))} d`;
}

/** What the issue asks to see fall, in the order it names them. */
export const MEASURES: readonly Measure[] = [
  { title: 'Time to merge', pick: (r) => r.medianMinutesToMerge, format: duration },
  { title: 'Runs per item', pick: (r) => r.runsPerItem, format: decimal },
  { title: 'Fix rounds per run', pick: (r) => r.fixRoundsPerRun, format: decimal },
  { title: 'Tool calls per run', pick: (r) => r.toolCallsPerRun, format: decimal },
  { title: 'Tokens per run', pick: (r) => r.tokensPerRun, format: tokens },
  { title: 'Friction per run', pick: (r) => r.frictionPerRun, format: decimal },
];

const CHANGE: Record<Direction, { arrow: string; words: string; className: string }> = {
  down: { arrow: '↓', words: 'down from', className: 'trend-better' },
  up: { arrow: '↑', words: 'up from', className: 'trend-worse' },
  same: { arrow: '=', words: 'as before', className: 'muted' },
  none: { arrow: '', words: '', className: 'muted' },
};

const weeks = (list: readonly string[]) =>
  list.length > 3 ? `${list.length} weeks` : `the week${list.length > 1 ? 's' : ''} of ${list.join(', ')}`;

/** The chart's accessible name: the measure, its span, and what the line shows in words. */
function accessibleName(title: string, points: readonly TrendPoint[], s: TrendSummary, m: Measure): string {
  const first = points[0]!.period;
  const last = points[points.length - 1]!.period;
  const span = first === last ? `the week of ${first}` : `weeks of ${first} to ${last}`;
  if (!s.latest) return `${title}, ${span}: no figure yet`;
  const direction = directionOf(s, m.format);
  let latest = `latest ${m.format(s.latest.value)}`;
  if (s.latest.period !== last) latest += ` (week of ${s.latest.period})`;
  if (direction === 'same') latest += ', as before';
  else if (direction !== 'none') latest += `, ${CHANGE[direction].words} ${m.format(s.previous!.value)}`;
  const parts = [latest];
  if (s.previous) parts.push(`lowest ${m.format(s.min)}, highest ${m.format(s.max)}`);
  if (s.gaps.length) parts.push(`no figure for ${weeks(s.gaps)}`);
  return `${title}, ${span}: ${parts.join('; ')}`;
}

/** "↓ from 30", "↑ from 2", "= as before", or why there is nothing to compare. */
function Change({ s, measure }: { s: TrendSummary; measure: Measure }) {
  const direction = directionOf(s, measure.format);
  const { arrow, className } = CHANGE[direction];
  const text =
    direction === 'none'
      ? s.latest
        ? 'no week before'
        : 'no figure yet'
      : direction === 'same'
        ? '= as before'
        : `${arrow} from ${measure.format(s.previous!.value)}`;
  return <span className={`trend-change ${className}`}>{text}</span>;
}

/** One measure: its name, its latest figure against the one before, its weeks as a line. */
function TrendChart({ measure, rows }: { measure: Measure; rows: readonly RepoTrendRow[] }) {
  const id = useId();
  const points = seriesOf(rows, measure.pick);
  const s = summarise(points);
  const stale = s.latest && s.latest.period !== points[points.length - 1]!.period;
  return (
    // Named by its caption explicitly: not every accessibility tree derives it (jsdom's does not).
    <figure className="trend-chart" aria-labelledby={id}>
      <figcaption id={id} className="trend-title">
        {measure.title}
      </figcaption>
      <p className="trend-figure">
        <span className="trend-latest">{s.latest ? measure.format(s.latest.value) : '—'}</span>
        <Change s={s} measure={measure} />
      </p>
      {stale && <p className="trend-as-of muted">week of {s.latest!.period}</p>}
      <Sparkline points={points} label={accessibleName(measure.title, points, s, measure)} />
    </figure>
  );
}

/**
 * A repository's weeks as small multiples, one line per measure on the same weeks; the table
 * below them holds the exact figures.
 */
export function TrendCharts({ rows }: { rows: readonly RepoTrendRow[] }) {
  const span = weeksOf(rows);
  if (span.length === 0) return null;
  return (
    <>
      <p className="trend-span muted">
        {span.length === 1 ? `The week of ${span[0]}.` : `Weeks of ${span[0]} to ${span[span.length - 1]}.`}{' '}
        Each figure is its latest week’s, against the week before it that had one: lower is better.
      </p>
      <div className="trend-charts">
        {MEASURES.map((m) => (
          <TrendChart key={m.title} measure={m} rows={rows} />
        ))}
      </div>
    </>
  );
}
