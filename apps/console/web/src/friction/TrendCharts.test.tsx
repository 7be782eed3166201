import { render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import type { RepoTrendRow } from '@horizon/contracts';
import { RepoTrends } from './RepoTrends';
import { duration } from './TrendCharts';

const week = (period: string, over: Partial<RepoTrendRow>): RepoTrendRow => ({
  repo: 'demo/cart',
  period,
  runs: 4,
  items: 2,
  runsPerItem: 2,
  toolCallsPerRun: 30,
  tokensPerRun: 50_000,
  frictionPerRun: 2,
  fixRoundsPerRun: 1,
  merged: 1,
  medianMinutesToMerge: 120,
  ...over,
});

// Four weeks with a figure, the week of 11-16 without a row (nothing ran, nothing merged), and
// nothing merged in the week of 11-23.
const rows = [
  week('2026-11-02', { toolCallsPerRun: 40, tokensPerRun: 52_000, medianMinutesToMerge: 300 }),
  week('2026-11-09', { runsPerItem: 1.5, tokensPerRun: 48_000, medianMinutesToMerge: 150 }),
  week('2026-11-23', {
    toolCallsPerRun: 24,
    tokensPerRun: 61_000,
    fixRoundsPerRun: 0.5,
    merged: 0,
    medianMinutesToMerge: null,
  }),
  week('2026-11-30', {
    runsPerItem: 1,
    toolCallsPerRun: 18,
    tokensPerRun: 40_000,
    frictionPerRun: 2.5,
    fixRoundsPerRun: 0.5,
    merged: 2,
    medianMinutesToMerge: 90,
  }),
];

const SPAN = 'weeks of 2026-11-02 to 2026-11-30';

/** A measure's card: its title, the figure people read, and its chart by accessible name. */
function chart(title: string) {
  const figure = screen.getByRole('figure', { name: title });
  return { figure, image: within(figure).getByRole('img') };
}

/** Every point the chart draws, as y, and where its zero line is. */
function drawn(image: HTMLElement) {
  const baseline = Number(image.querySelector('.sparkline-baseline')!.getAttribute('y1'));
  const lines = [...image.querySelectorAll('path')].map((p) => p.getAttribute('d')!);
  const ys = [
    ...lines.flatMap((d) => [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]))),
    ...[...image.querySelectorAll('circle')].map((c) => Number(c.getAttribute('cy'))),
  ];
  return { baseline, lines, ys };
}

describe('trend charts', () => {
  it('draws each measure over the weeks with its latest figure and which way it went', async () => {
    render(<RepoTrends repo="demo/cart" rows={rows} />);
    expect(screen.getByRole('heading', { level: 3 })).toHaveTextContent(
      "How demo/cart's runs went, week by week",
    );
    expect(
      screen.getAllByRole('figure').map((f) => within(f).getByRole('img').getAttribute('aria-label')),
    ).toEqual([
      `Time to merge, ${SPAN}: latest 1.5 h, down from 2.5 h; lowest 1.5 h, highest 5 h; no figure for the weeks of 2026-11-16, 2026-11-23`,
      `Runs per item, ${SPAN}: latest 1, down from 2; lowest 1, highest 2; no figure for the week of 2026-11-16`,
      `Fix rounds per run, ${SPAN}: latest 0.5, as before; lowest 0.5, highest 1; no figure for the week of 2026-11-16`,
      `Tool calls per run, ${SPAN}: latest 18, down from 24; lowest 18, highest 40; no figure for the week of 2026-11-16`,
      `Tokens per run, ${SPAN}: latest 40K, down from 61K; lowest 40K, highest 61K; no figure for the week of 2026-11-16`,
      `Friction per run, ${SPAN}: latest 2.5, up from 2; lowest 2, highest 2.5; no figure for the week of 2026-11-16`,
    ]);

    const merge = chart('Time to merge').figure;
    expect(merge).toHaveTextContent('1.5 h↓ from 2.5 h');
    expect(within(merge).getByText('↓ from 2.5 h')).toHaveClass('trend-better');
    expect(chart('Tool calls per run').figure).toHaveTextContent('18↓ from 24');
    expect(chart('Tokens per run').figure).toHaveTextContent('40K↓ from 61K');
    const friction = chart('Friction per run').figure;
    expect(friction).toHaveTextContent('2.5↑ from 2');
    expect(within(friction).getByText('↑ from 2')).toHaveClass('trend-worse');
    expect(chart('Fix rounds per run').figure).toHaveTextContent('0.5= as before');

    // The exact figures stay, as a table under the charts.
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(5);

    const result = await axe.run(document.body);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('leaves a gap where a week has no figure instead of drawing it as zero', () => {
    render(<RepoTrends repo="demo/cart" rows={rows} />);
    // Tool calls: two lines, 11-02 to 11-09 and 11-23 to 11-30, none through the missing week.
    const tools = drawn(chart('Tool calls per run').image);
    expect(tools.lines).toHaveLength(2);
    expect(tools.lines.map((d) => d.match(/[ML]/g)!.length)).toEqual([2, 2]);
    // Time to merge: a line over its first two weeks, then only the latest week, as a dot.
    const merge = drawn(chart('Time to merge').image);
    expect(merge.lines).toHaveLength(1);
    expect(merge.ys).toHaveLength(3);
    expect(merge.ys.filter((y) => y >= merge.baseline)).toEqual([]);
  });

  it('says so when a measure has a single figure or none', () => {
    render(
      <RepoTrends
        repo="demo/cart"
        rows={[week('2026-11-30', { merged: 0, medianMinutesToMerge: null, toolCallsPerRun: 12 })]}
      />,
    );
    const merge = chart('Time to merge');
    expect(merge.figure).toHaveTextContent('—no figure yet');
    expect(merge.image).toHaveAccessibleName('Time to merge, the week of 2026-11-30: no figure yet');
    expect(drawn(merge.image).ys).toEqual([]);
    const tools = chart('Tool calls per run');
    expect(tools.figure).toHaveTextContent('12no week before');
    expect(tools.image).toHaveAccessibleName('Tool calls per run, the week of 2026-11-30: latest 12');
    expect(drawn(tools.image).ys).toHaveLength(1);
  });

  it('reads a time to merge as people say it', () => {
    expect([45, 90, 150, 47 * 60, 3 * 24 * 60].map(duration)).toEqual([
      '45 min',
      '1.5 h',
      '2.5 h',
      '47 h',
      '3 d',
    ]);
  });
});
