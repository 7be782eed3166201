import { Link } from 'react-router';
import type { WorkItemDetail } from '../../../src/shared/console-api';
import { formatDuration, runDuration } from './format';

export function Runs({ runs }: { runs: WorkItemDetail['runs'] }) {
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No run yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Attempt</th>
                <th scope="col">Flavour</th>
                <th scope="col">Harness</th>
                <th scope="col">Outcome</th>
                <th scope="col">Tokens (in / out)</th>
                <th scope="col">Cost</th>
                <th scope="col">Duration</th>
                <th scope="col">Verification</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const ms = runDuration(run.startedAt, run.finishedAt);
                return (
                  <tr key={run.id}>
                    <td>
                      <Link to={`/runs/${run.id}`}>Run {run.attempt}</Link>
                    </td>
                    <td>{run.flavour}</td>
                    <td>{run.harness}</td>
                    <td>
                      {run.outcome ?? (run.startedAt ? 'running' : 'queued')}
                      {run.failureReason && <div className="muted">{run.failureReason}</div>}
                    </td>
                    <td>
                      {run.inputTokens.toLocaleString()} / {run.outputTokens.toLocaleString()}
                    </td>
                    <td>${run.costUsd.toFixed(2)}</td>
                    <td>{ms === null ? '—' : formatDuration(ms)}</td>
                    <td>
                      {run.verification.length === 0 ? (
                        'none'
                      ) : (
                        <ul className="checks">
                          {run.verification.map((v, i) => (
                            <li
                              key={i}
                              className={v.exitCode === 0 ? 'verification-passed' : 'verification-failed'}
                            >
                              <code>{v.command}</code> exit {v.exitCode} ({formatDuration(v.durationMs)})
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
