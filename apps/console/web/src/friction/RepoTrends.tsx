import type { RepoTrendRow } from '@horizon/contracts';
import { TrendCharts } from './TrendCharts';

const figure = (n: number | null) => (n === null ? '—' : String(Math.round(n * 10) / 10));

/** Up or down since the week before, for figures where less is better; nothing when either is unknown. */
function change(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined || now === before) return '';
  return now < before ? ' ↓' : ' ↑';
}

/**
 * A repository's weeks: what a run costs in tool calls, tokens, friction and fix rounds, and how
 * fast its work merged, as charts and then as the exact table. Arrows compare with the week
 * before: falling is the platform learning.
 */
export function RepoTrends({ repo, rows }: { repo: string; rows: RepoTrendRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="repo-trends">
      <h3>How {repo}'s runs went, week by week</h3>
      <TrendCharts rows={rows} />
      <details>
        <summary>The weeks as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Runs</th>
              <th scope="col">Runs per item</th>
              <th scope="col">Tool calls per run</th>
              <th scope="col">Tokens per run</th>
              <th scope="col">Friction per run</th>
              <th scope="col">Fix rounds per run</th>
              <th scope="col">Merged</th>
              <th scope="col">Minutes to merge</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const before = rows[i - 1];
              return (
                <tr key={r.period}>
                  <th scope="row">{r.period}</th>
                  <td>{r.runs}</td>
                  <td>{figure(r.runsPerItem) + change(r.runsPerItem, before?.runsPerItem)}</td>
                  <td>{figure(r.toolCallsPerRun) + change(r.toolCallsPerRun, before?.toolCallsPerRun)}</td>
                  <td>{figure(r.tokensPerRun) + change(r.tokensPerRun, before?.tokensPerRun)}</td>
                  <td>{figure(r.frictionPerRun) + change(r.frictionPerRun, before?.frictionPerRun)}</td>
                  <td>{figure(r.fixRoundsPerRun) + change(r.fixRoundsPerRun, before?.fixRoundsPerRun)}</td>
                  <td>{r.merged}</td>
                  <td>
                    {figure(r.medianMinutesToMerge) +
                      change(r.medianMinutesToMerge, before?.medianMinutesToMerge)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </div>
  );
}
