import type { BrowserCheckResult } from '../../../../src/shared/run-browser';

const OUTCOME_CLASS: Record<BrowserCheckResult['outcome'], string> = {
  passed: 'verification-passed',
  failed: 'verification-failed',
  skipped: 'muted',
};

/** Each browser check the run made, in order: the base first, then the change each round. */
export function CheckResults({ results }: { results: BrowserCheckResult[] }) {
  return (
    <ul className="checks browser-checks">
      {results.map((r) => (
        <li key={`${r.target}-${r.round}`}>
          <span className={`badge ${OUTCOME_CLASS[r.outcome]}`}>{r.outcome}</span>{' '}
          <strong>{r.target === 'base' ? 'Base' : `Change, round ${r.round}`}</strong> — {r.summary}
          {r.problems.length > 0 && (
            <ul className="browser-problems" aria-label={`Problems of the ${r.target} check`}>
              {r.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
