import type { TrendPoint } from './trendSeries';

/*
 * Hand-written on purpose. Each chart is a sparkline of at most 14 weekly points (the page asks
 * for 90 days): no axes, ticks, tooltips, zoom or resizing, only a line that breaks where a week
 * has no figure. Measured for it (esbuild, minified, gzip), against the entry chunk's budget in
 * tools/lib/console-build.mjs (150 kB, ~117 kB used; the Friction page is in the entry):
 * - recharts: +109 kB. Over the budget for six small lines, and its ResponsiveContainer draws
 *   nothing where nothing is laid out (jsdom).
 * - uPlot: +23 kB, and it draws on a canvas: nothing for a screen reader or a test to read.
 * - @visx/shape + @visx/scale: +15 kB (d3-scale's locales and time scales) for LinePath and a
 *   linear scale.
 * - d3-shape's line().defined(): +4 kB and two dependencies (with its types) for what the
 *   thirty lines below do: straight segments between known points, split at the unknown ones.
 * The SVG stays plain markup: role="img" and its label are what assistive technology reads.
 */

const W = 160;
const H = 44;
const PAD = 4;

type Xy = { x: number; y: number };

/** Where each point sits: weeks evenly across, zero at the bottom (a rate halving looks halved). */
function place(points: readonly TrendPoint[]): (Xy | null)[] {
  const max = Math.max(0, ...points.map((p) => p.value ?? 0));
  const step = points.length > 1 ? (W - 2 * PAD) / (points.length - 1) : 0;
  return points.map((p, i) =>
    p.value === null
      ? null
      : {
          x: points.length > 1 ? PAD + i * step : W / 2,
          y: max === 0 ? H - PAD : H - PAD - (p.value / max) * (H - 2 * PAD),
        },
  );
}

/** Runs of consecutive known points: a week without a figure ends one, so it shows as a gap. */
function segments(placed: readonly (Xy | null)[]): Xy[][] {
  const runs: Xy[][] = [];
  let current: Xy[] = [];
  for (const p of placed) {
    if (p) {
      current.push(p);
    } else if (current.length) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length) runs.push(current);
  return runs;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const pathOf = (run: Xy[]) => run.map((p, i) => `${i ? 'L' : 'M'}${r1(p.x)} ${r1(p.y)}`).join(' ');

/**
 * A measure over the weeks as a line on a zero baseline, the latest figure marked; a week
 * alone between gaps is a dot. `label` says in words what the line shows.
 */
export function Sparkline({ points, label }: { points: readonly TrendPoint[]; label: string }) {
  const placed = place(points);
  const runs = segments(placed);
  const latest = placed.findLast((p) => p !== null);
  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line className="sparkline-baseline" x1={0} x2={W} y1={H - PAD} y2={H - PAD} />
      {runs.map((run) =>
        run.length > 1 ? (
          <path key={`${run[0]!.x}`} className="sparkline-line" d={pathOf(run)} />
        ) : (
          run[0] !== latest && (
            <circle
              key={`${run[0]!.x}`}
              className="sparkline-dot"
              cx={r1(run[0]!.x)}
              cy={r1(run[0]!.y)}
              r={2}
            />
          )
        ),
      )}
      {latest && <circle className="sparkline-latest" cx={r1(latest.x)} cy={r1(latest.y)} r={3} />}
    </svg>
  );
}
